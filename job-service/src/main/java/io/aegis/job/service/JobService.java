package io.aegis.job.service;

import io.aegis.contracts.http.JobSubmission;
import io.aegis.contracts.problem.Problem;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.StoreLayout;
import io.aegis.job.config.JobConfig;
import io.aegis.job.domain.Job;
import io.aegis.job.domain.JobEffects;
import io.aegis.job.domain.JobLifecycle;
import io.aegis.job.domain.JobState;
import io.aegis.job.domain.ReuseKey;
import io.aegis.job.metrics.JobMetrics;
import io.aegis.job.outbox.Outbox;
import io.aegis.job.outbox.OutboxRelay;
import io.aegis.web.tracing.TraceParents;
import io.aegis.job.repository.JobQueries;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.OptimisticLockException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.hibernate.StaleStateException;

/**
 * Jobs and their lifecycle. Every change goes through {@link #change}: load the job, apply one
 * {@link JobLifecycle} transition, write the outbox events {@link JobEffects} derives from it, all
 * in one transaction under the row's version (a concurrent writer makes it retry on fresh state).
 */
@ApplicationScoped
public class JobService {

    private static final int MAX_CONFLICT_RETRIES = 8;

    private final Outbox outbox;
    private final OutboxRelay relay;
    private final FairDispatcher dispatcher;
    private final JobQueries queries;
    private final StoreLayout store;
    private final Vertx vertx;
    private final boolean reuseAcrossUsers;
    private final int activePerUser;
    private final JobMetrics metrics;

    public JobService(Outbox outbox, OutboxRelay relay, FairDispatcher dispatcher, JobQueries queries, JobConfig config,
                      Vertx vertx, JobMetrics metrics) {
        this.outbox = outbox;
        this.metrics = metrics;
        this.relay = relay;
        this.dispatcher = dispatcher;
        this.queries = queries;
        this.activePerUser = config.queue().activePerUser();
        this.store = new StoreLayout(config.store().root());
        this.vertx = vertx;
        this.reuseAcrossUsers = config.reuse().acrossUsers();
    }

    /**
     * Stores the input, then in one transaction the job, waiting for its turn ({@link FairDispatcher}),
     * and its state event. An identical earlier success of the same user (of any user with
     * {@code aegis.reuse.across-users}) answers it at once, unless the submitter opted out or its
     * results are no longer in the store. A user
     * with {@code aegis.queue.active-per-user} unfinished jobs is refused first (429; concurrent submits
     * of one user may pass it by a few). A failed transaction leaves no input behind.
     */
    public Uni<Job> submit(String owner, JobSubmission submission) {
        UUID id = UUID.randomUUID();
        Instant now = now();
        ReuseKey reuse = ReuseKey.of(submission);
        Job job = Job.queued(id, owner, submission, reuse, now);
        job.traceParent = TraceParents.current();
        return roomFor(owner)
                .chain(() -> writeAtomically(store.input(id), submission.fasta()))
                .chain(() -> inTransaction(() -> reusable(owner, submission, reuse)
                        .chain(source -> {
                            if (source.isPresent()) {
                                job.reusedFrom = source.get();
                                job.apply(JobLifecycle.reused(job.state(), source.get(), now), now);
                                return job.persistAndFlush().chain(() -> outbox.state(job));
                            }
                            return job.persistAndFlush().chain(() -> outbox.state(job));
                        })))
                .invoke(dispatcher::wake)
                .invoke(() -> metrics.submitted(job))
                .onFailure().call(() -> vertx.fileSystem().deleteRecursive(store.jobDir(id).toString(), true)
                        .onFailure().recoverWithNull())
                .replaceWith(job);
    }

    /** Fails with a 429 problem when {@code owner} has as many unfinished jobs as one user may (none when 0). */
    private Uni<Void> roomFor(String owner) {
        if (activePerUser <= 0) {
            return Uni.createFrom().voidItem();
        }
        return queries.activeJobs(owner, activePerUser)
                .invoke(active -> {
                    if (active >= activePerUser) {
                        throw new ProblemException(429, "TOO_MANY_ACTIVE_JOBS", "Too many active jobs", "You have "
                                + active + " unfinished jobs, as many as one user may have; submit again when some "
                                + "have finished, or cancel some.").retryAfter(Duration.ofSeconds(30));
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Optional<UUID>> reusable(String owner, JobSubmission submission, ReuseKey reuse) {
        if (!submission.reuseAllowed() || reuse.key() == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        var earlier = reuseAcrossUsers
                ? Job.<Job>find("reuseKey = ?1 and status = ?2 order by createdAt desc", reuse.key(), JobStatus.SUCCEEDED)
                : Job.<Job>find("reuseKey = ?1 and status = ?2 and owner = ?3 order by createdAt desc", reuse.key(),
                        JobStatus.SUCCEEDED, owner);
        return earlier.firstResult()
                .map(found -> Optional.ofNullable(found).map(j -> j.reusedFrom != null ? j.reusedFrom : j.id))
                .chain(source -> source.isEmpty() ? Uni.createFrom().item(source)
                        : vertx.fileSystem().exists(store.results(source.get()).toString()).map(present -> {
                            if (!present) {
                                // a store emptied or restored apart from the database: run the job again
                                Log.infof("Job %s's results are gone from the store: an identical job runs afresh",
                                        source.get());
                            }
                            return present ? source : Optional.<UUID>empty();
                        }));
    }

    public Uni<Job> find(String owner, UUID id) {
        return Panache.withSession(() -> Job.<Job>findById(id)).map(job -> owned(job, owner, id));
    }

    /**
     * Cancels the caller's job: a queued job is cancelled at once, a running one is asked to stop.
     * Asking again changes nothing; a job that already succeeded or failed is a 409 naming its state.
     */
    public Uni<Job> cancel(String owner, UUID id) {
        return find(owner, id).chain(found -> change(id, state -> JobLifecycle.cancel(state, now()))
                .chain(changed -> changed.isPresent() ? Uni.createFrom().item(changed.get()) : find(owner, id)))
                .map(job -> {
                    if (job.status == JobStatus.SUCCEEDED || job.status == JobStatus.FAILED) {
                        throw new ProblemException(Problem.of(409, "JOB_ALREADY_FINISHED", "Job already finished",
                                "Job " + id + " already " + (job.status == JobStatus.SUCCEEDED ? "succeeded" : "failed")
                                        + " at " + job.finishedAt + "; there is nothing to cancel.")
                                .withJobStatus(job.status));
                    }
                    return job;
                });
    }

    /**
     * Retries the caller's failed or cancelled job as its next attempt, which waits its turn like a
     * new job and counts as one of the owner's unfinished jobs. A job in any other state is a 409
     * naming its state.
     */
    public Uni<Job> retry(String owner, UUID id) {
        return find(owner, id)
                .call(() -> roomFor(owner))
                .chain(found -> change(id, state -> JobLifecycle.retry(state, now())))
                .chain(changed -> changed.isPresent() ? Uni.createFrom().item(changed.get())
                        : find(owner, id).map(job -> {
                            throw new ProblemException(Problem.of(409, "JOB_NOT_RETRYABLE", "Job cannot be retried",
                                    "Job " + id + " is " + job.status.name().toLowerCase(Locale.ROOT)
                                            + "; only a failed or cancelled job can be retried.")
                                    .withJobStatus(job.status));
                        }))
                .invoke(dispatcher::wake);
    }

    /** Applies one progress event of a worker. */
    public Uni<Void> applyProgress(JobProgressEvent event) {
        return change(event.jobId(), state -> JobLifecycle.progress(state, event), event).replaceWithVoid();
    }

    /**
     * Applies one lifecycle transition to the job and writes the events it implies, in one
     * transaction. Empty when the job does not exist or the transition changes nothing.
     */
    public Uni<Optional<Job>> change(UUID id, Function<JobState, Optional<JobState>> transition) {
        return change(id, transition, null);
    }

    /** As {@link #change(UUID, Function)}, for a transition that applies {@code report}, a worker's progress. */
    private Uni<Optional<Job>> change(UUID id, Function<JobState, Optional<JobState>> transition,
                                      JobProgressEvent report) {
        AtomicReference<JobState> committedFrom = new AtomicReference<>();
        return inTransaction(() -> Job.<Job>findById(id).chain(job -> {
                    if (job == null) {
                        Log.debugf("No job %s to change", id);
                        return Uni.createFrom().item(Optional.<Job>empty());
                    }
                    JobState before = job.state();
                    Optional<JobState> after = transition.apply(before);
                    if (after.isEmpty()) {
                        return Uni.createFrom().item(Optional.<Job>empty());
                    }
                    job.apply(after.get(), now());
                    committedFrom.set(before);
                    return Panache.getSession().chain(session -> session.flush())
                            .chain(() -> announce(job, JobEffects.between(before, after.get()), report))
                            .replaceWith(Optional.of(job));
                }))
                .onFailure(JobService::isConflict).retry()
                .withBackOff(Duration.ofMillis(5), Duration.ofMillis(200)).atMost(MAX_CONFLICT_RETRIES)
                .invoke(changed -> changed.ifPresent(job -> metrics.changed(committedFrom.get(), job)))
                .invoke(changed -> {
                    // a finished job makes room for its owner's next one
                    if (changed.isPresent() && changed.get().status.isTerminal()) {
                        dispatcher.wake();
                    }
                });
    }

    private Uni<Void> announce(Job job, JobEffects effects, JobProgressEvent report) {
        Uni<Void> done = Uni.createFrom().voidItem();
        if (effects.withdrawRequests()) {
            done = done.chain(() -> outbox.withdrawRequests(job.id)).replaceWithVoid();
        }
        if (effects.stopAttempt() > 0) {
            done = done.chain(() -> outbox.cancel(job.id, effects.stopAttempt(), effects.stopReason()));
        }
        if (effects.dispatch()) {
            done = done.chain(() -> outbox.requested(job));
        }
        if (effects.publishState()) {
            done = done.chain(() -> outbox.state(job, report));
        }
        return done;
    }

    /** Removes finished jobs and tells artifact-service to remove their files. */
    public Uni<Integer> delete(List<UUID> ids, String reason) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return inTransaction(() -> Job.<Job>list("id in ?1 and status in ?2", ids,
                        List.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED))
                .chain(jobs -> {
                    Uni<Void> done = Uni.createFrom().voidItem();
                    for (Job job : jobs) {
                        done = done.chain(job::delete).chain(() -> outbox.deleted(job.id, job.owner, reason));
                    }
                    return done.replaceWith(jobs.size());
                }));
    }

    /** Runs {@code work} in one transaction; once it committed, the relay sends the events it wrote. */
    private <T> Uni<T> inTransaction(Supplier<Uni<T>> work) {
        return Panache.withTransaction(work).invoke(relay::wake);
    }

    private static Job owned(Job job, String owner, UUID id) {
        if (job == null || !job.owner.equals(owner)) {
            throw new ProblemException(404, "JOB_NOT_FOUND", "Job not found", "There is no job " + id + ".");
        }
        return job;
    }

    private static boolean isConflict(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StaleStateException || t instanceof OptimisticLockException) {
                return true;
            }
        }
        return false;
    }

    /** Database time precision: what is stored is what is shown. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** One blocking task (not three): create the folder, write beside the target, rename into place. */
    private Uni<Void> writeAtomically(Path target, String content) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            Path temp = target.resolveSibling(target.getFileName() + ".part");
            try {
                Files.createDirectories(target.getParent());
                Files.writeString(temp, content);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null;
        }), false).replaceWithVoid();
    }
}
