package io.aegis.gateway.service;

import io.aegis.contracts.problem.Problem;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.contracts.redis.StreamTickets;
import io.aegis.events.EventJson;
import io.aegis.gateway.client.Backends;
import io.aegis.gateway.config.GatewayConfig;
import io.aegis.gateway.domain.Tickets;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Issues stream tickets ({@link StreamTickets}) to a job's owner: job-service confirms the job is
 * the caller's, then the grant goes to Redis for log-stream-service to redeem once.
 */
@ApplicationScoped
public class TicketIssuer {

    /** How long a Redis call may take before it counts as failed (a connection Redis dropped may never answer). */
    static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);
    /** How long job-service may take to show the job before the ticket is refused for now. */
    static final Duration JOB_SERVICE_TIMEOUT = Duration.ofSeconds(5);

    private final Backends backends;
    private final URI jobService;
    private final Duration ttl;
    private final ReactiveValueCommands<String, String> values;
    private final SecureRandom random = new SecureRandom();

    public TicketIssuer(Backends backends, GatewayConfig config, ReactiveRedisDataSource redis) {
        this.backends = backends;
        this.jobService = config.services().job();
        this.ttl = config.streams().ticketTtl();
        this.values = redis.value(String.class);
    }

    /**
     * A ticket for {@code user} to open job {@code jobId}'s stream. Fails with job-service's problem
     * when the job is not the user's (404, as reading the job would), or a 503 problem when job-service
     * or Redis cannot be reached.
     */
    public Uni<Tickets.Issued> issue(String user, UUID jobId) {
        return owned(user, jobId)
                .chain(() -> store(Tickets.issue(jobId, user, Instant.now(), ttl, random)));
    }

    /**
     * Succeeds when job {@code jobId} is {@code user}'s, as job-service shows it; fails as
     * {@link #issue} does otherwise. Download links ({@link DownloadLinkIssuer}) ask the same.
     */
    Uni<Void> owned(String user, UUID jobId) {
        return backends.get(jobService, "/api/v1/jobs/" + jobId, user)
                .ifNoItem().after(JOB_SERVICE_TIMEOUT).fail()
                .onFailure().transform(failure -> {
                    Log.warnf("job-service unavailable for a stream ticket: %s", failure.toString());
                    return jobServiceUnavailable();
                })
                .map(answer -> {
                    if (answer.status() == 200) {
                        return null;
                    }
                    if (answer.status() >= 400 && answer.status() < 500) {
                        throw new ProblemException(problemOf(answer, jobId));
                    }
                    throw jobServiceUnavailable();
                });
    }

    private Uni<Tickets.Issued> store(Tickets.Issued issued) {
        return values.set(issued.key(), EventJson.encodeToString(issued.grant()), new SetArgs().px(ttl))
                .ifNoItem().after(REDIS_TIMEOUT).fail()
                .onFailure().transform(failure -> {
                    Log.warnf("Redis unavailable for a stream ticket: %s", failure.toString());
                    return streamsUnavailable(issued.grant().jobId());
                })
                .replaceWith(issued);
    }

    /** job-service's own problem (e.g. 404 JOB_NOT_FOUND), passed on as the caller would get it reading the job. */
    private static Problem problemOf(Backends.Answer answer, UUID jobId) {
        try {
            Problem problem = EventJson.decode(answer.body().getBytes(), Problem.class);
            if (problem.status() == answer.status() && problem.code() != null) {
                return problem;
            }
        } catch (UncheckedIOException notAProblem) {
            // answered without a problem body: say what the status means
        }
        return answer.status() == 404
                ? Problem.of(404, "JOB_NOT_FOUND", "Job not found", "There is no job " + jobId + ".")
                : Problem.of(answer.status(), "INVALID_REQUEST", "Invalid request", "The job service refused the request.");
    }

    private static ProblemException jobServiceUnavailable() {
        return new ProblemException(503, "SERVICE_UNAVAILABLE", "Service unavailable",
                "The job service is not answering; try again shortly.");
    }

    private static ProblemException streamsUnavailable(UUID jobId) {
        String poll = "/api/v1/jobs/" + jobId;
        return new ProblemException(Problem.of(503, "STREAMS_UNAVAILABLE", "Live events unavailable",
                "Stream tickets cannot be issued right now; try again shortly, or poll GET " + poll + ".")
                .withPoll(poll));
    }
}
