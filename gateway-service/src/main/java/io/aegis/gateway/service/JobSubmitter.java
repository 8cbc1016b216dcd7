package io.aegis.gateway.service;

import io.aegis.contracts.problem.ProblemException;
import io.aegis.gateway.client.Backends;
import io.aegis.gateway.config.GatewayConfig;
import io.aegis.gateway.domain.SubmissionRules;
import io.aegis.gateway.domain.SubmitRequest;
import io.aegis.pipelines.Pipelines;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The one way a job is submitted, whichever door it comes in by ({@code POST /api/v1/jobs} or the
 * qblast endpoint): the user's submit rate, then their store quota, then the database catalog, then
 * {@link SubmissionRules} on a worker thread (the FASTA is parsed and the job encoded there, never on
 * an event loop), then job-service, which stores and queues it. A refusal at any step stores nothing.
 */
@ApplicationScoped
public class JobSubmitter {

    private final Backends backends;
    private final DatabaseCatalog catalog;
    private final GatewayConfig config;
    private final SubmissionRules.Limits limits;
    private final Pipelines pipelines;
    private final SubmitRateLimiter rate;
    private final StoreQuota quota;

    public JobSubmitter(Backends backends, DatabaseCatalog catalog, Pipelines pipelines, SubmitRateLimiter rate,
                        StoreQuota quota, GatewayConfig config) {
        this.backends = backends;
        this.rate = rate;
        this.quota = quota;
        this.catalog = catalog;
        this.pipelines = pipelines;
        this.config = config;
        this.limits = new SubmissionRules.Limits(config.limits().maxFastaBytes(), config.limits().maxSequences(),
                config.limits().maxSequenceLength(), config.limits().maxIdLength());
    }

    /** The limits a job's FASTA is held to. */
    public SubmissionRules.Limits limits() {
        return limits;
    }

    /**
     * Submits the job as {@code user}; job-service's answer, whatever it is (its {@code 202} with the job,
     * or its own refusal). A refusal here fails with its {@link ProblemException}; job-service not
     * answering is {@code 503 SERVICE_UNAVAILABLE} with {@code Retry-After}.
     */
    public Uni<Backends.Answer> submit(String user, SubmitRequest request) {
        return rate.admit(user)
                .chain(() -> quota.admit(user))
                .chain(catalog::databases)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(databases -> SubmissionRules.validate(request, limits, pipelines, databases))
                .chain(submission -> backends.postJson(config.services().job(), "/api/v1/jobs", user, submission))
                .onFailure(failure -> !(failure instanceof ProblemException))
                .transform(failure -> new ProblemException(503, "SERVICE_UNAVAILABLE", "Service unavailable",
                        "The job service is not answering; try again shortly.").retryAfter(Duration.ofSeconds(5)));
    }
}
