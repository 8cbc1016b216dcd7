package io.aegis.artifact.service;

import io.aegis.artifact.client.JobServiceClient;
import io.aegis.artifact.client.JobSummary;
import io.aegis.artifact.config.StoreConfig;
import io.aegis.artifact.domain.Artifact;
import io.aegis.artifact.domain.ContentTypes;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.events.ArtifactState;
import io.aegis.events.StoreLayout;
import io.aegis.web.identity.InternalKey;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * A job's artifacts as its owner's list shows them, never waiting for a build. Once the job's
 * finalization has begun they are its rows, each in its state. Before that (the job still runs, or its
 * terminal event is still on its way: a job that reused an earlier one's results is finished at its
 * {@code 202}) this service has no row of the job, nor any other word of it, and only job-service knows
 * whose it is. So it asks job-service, as the caller, and answers for a job that is theirs every
 * artifact the finalization will build, {@code pending} ({@link BuildPlan#forecast}; those made only when
 * asked for, {@code on_request}); for anyone else's
 * job, as for an unknown one, nothing (a {@code 404}). The log chunks are not listed before they are
 * built: how many there are is only known from the log.
 */
@ApplicationScoped
public class ArtifactListing {

    private final StoreLayout store;
    private final JobServiceClient jobService;
    private final InternalKey key;
    private final Vertx vertx;

    public ArtifactListing(StoreConfig store, @RestClient JobServiceClient jobService, InternalKey key, Vertx vertx) {
        this.store = new StoreLayout(store.root());
        this.jobService = jobService;
        this.key = key;
        this.vertx = vertx;
    }

    /** The job's artifacts by name, or empty when the job is not {@code owner}'s (or is unknown). */
    public Uni<Optional<List<Artifact>>> of(UUID jobId, String owner) {
        return Panache.withSession(() -> Artifact.<Artifact>list("jobId = ?1 and owner = ?2 order by name", jobId, owner))
                .chain(rows -> rows.isEmpty() ? expected(jobId, owner) : Uni.createFrom().item(Optional.of(rows)));
    }

    private Uni<Optional<List<Artifact>>> expected(UUID jobId, String owner) {
        return owned(jobId, owner).chain(job -> job.isEmpty() ? Uni.createFrom().item(Optional.empty())
                : vertx.executeBlocking(Uni.createFrom().item(() -> Optional.of(pending(jobId, owner, job.get())))));
    }

    /** The job as job-service shows it to {@code owner}; empty when it answers that there is no such job of theirs. */
    private Uni<Optional<JobSummary>> owned(UUID jobId, String owner) {
        return jobService.job(key.forUser(owner), jobId.toString())
                .map(response -> {
                    try (response) {
                        return switch (response.getStatus()) {
                            case 200 -> Optional.of(response.readEntity(JobSummary.class));
                            case 404 -> Optional.<JobSummary>empty();
                            default -> throw unavailable(jobId, "it answered " + response.getStatus());
                        };
                    }
                })
                .onFailure(WebApplicationException.class).recoverWithItem(failure -> {
                    Response response = ((WebApplicationException) failure).getResponse();
                    if (response.getStatus() == 404) {
                        return Optional.empty();
                    }
                    throw unavailable(jobId, "it answered " + response.getStatus());
                })
                .onFailure(f -> !(f instanceof ProblemException))
                .transform(f -> unavailable(jobId, "it cannot be reached: " + BuildAttempt.message(f)));
    }

    /**
     * Every artifact the job's finalization will build, pending, and those it makes only when asked for,
     * {@code on_request}. Blocking I/O (the job's results are looked at).
     */
    private List<Artifact> pending(UUID jobId, String owner, JobSummary job) {
        try {
            BuildPlan plan = BuildPlan.forecast(store, jobId, job.status(), job.reusedFrom());
            return plan.names().stream().sorted().map(name -> pending(jobId, owner, name,
                    plan.onRequest(name) ? ArtifactState.ON_REQUEST : ArtifactState.PENDING)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Artifact pending(UUID jobId, String owner, String name, ArtifactState state) {
        Artifact row = new Artifact();
        row.jobId = jobId;
        row.name = name;
        row.owner = owner;
        row.state = state;
        if (HitTable.NAME.equals(name)) {
            row.kind = Artifact.TABLE;
        } else {
            row.kind = Artifact.FILE;
            row.contentType = ContentTypes.of(name);
        }
        return row;
    }

    private static ProblemException unavailable(UUID jobId, String why) {
        return new ProblemException(503, "SERVICE_UNAVAILABLE", "Service unavailable",
                "Whether job " + jobId + " is yours cannot be told now (job-service knows, and " + why
                        + "); try again shortly.").retryAfter(Duration.ofSeconds(5));
    }
}
