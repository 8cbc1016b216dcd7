package io.aegis.job.outbox;

import io.aegis.events.EventJson;
import io.aegis.events.JobControlEvent;
import io.aegis.events.JobDeletedEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobRequestedEvent;
import io.aegis.events.JobStateEvent;
import io.aegis.events.StoreLayout;
import io.aegis.events.Topics;
import io.aegis.job.domain.Job;
import io.aegis.web.tracing.TraceParents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/**
 * What job-service tells the rest of Aegis. Each method adds an event to the outbox inside the
 * caller's transaction, so an event exists exactly when the change it announces was committed;
 * {@link OutboxRelay} then delivers it to Kafka.
 */
@ApplicationScoped
public class Outbox {

    /** The attempt the job is on, for the workers. */
    public Uni<Void> requested(Job job) {
        return add(Topics.JOB_REQUESTED, job.id, TraceParents.currentOr(job.traceParent), new JobRequestedEvent(JobRequestedEvent.SCHEMA, job.id, job.owner,
                job.pipeline, job.database, job.params, StoreLayout.inputRef(job.id), job.sequenceCount, job.attempt,
                Instant.now()));
    }

    /** The job's state after a change (call after a flush, so the version is the committed one). */
    public Uni<Void> state(Job job) {
        return state(job, null);
    }

    /**
     * The job's state after applying {@code report}, a worker's progress (or null): when the report was
     * the outcome that ended the job's current attempt, the state tells how far the attempt's log and
     * progress went ({@link JobStateEvent#lastLogSeq()}), so log-stream-service can put every line of
     * the job before its end, however late that line's topic is consumed. A report from a worker that
     * predates {@link JobProgressEvent#lastLogSeq()} tells neither (the stream then waits for quiet).
     */
    public Uni<Void> state(Job job, JobProgressEvent report) {
        boolean endReported = report != null && report.status() != null && report.status().isTerminal()
                && report.lastLogSeq() != null && job.status.isTerminal() && report.attempt() == job.attempt;
        return add(Topics.JOB_STATE, job.id, TraceParents.currentOr(job.traceParent), new JobStateEvent(JobStateEvent.SCHEMA, job.id, job.owner, job.status,
                job.step, job.done, job.total, job.error, job.errorCode, job.attempt, job.version, job.reusedFrom,
                Instant.now(), endReported ? report.lastLogSeq() : null, endReported ? report.seq() : null));
    }

    /** Tells whichever worker holds {@code attempt} of the job to stop. */
    public Uni<Void> cancel(UUID jobId, int attempt, String reason) {
        return add(Topics.JOB_CONTROL, jobId, TraceParents.current(), new JobControlEvent(JobControlEvent.SCHEMA, jobId,
                JobControlEvent.Action.CANCEL, attempt, reason, Instant.now()));
    }

    public Uni<Void> deleted(UUID jobId, String owner, String reason) {
        return add(Topics.JOB_DELETED, jobId, TraceParents.current(), new JobDeletedEvent(JobDeletedEvent.SCHEMA, jobId, owner, reason,
                Instant.now()));
    }

    /** Withdraws requests for the job not yet relayed: a job cancelled while queued should never reach a worker. */
    public Uni<Long> withdrawRequests(UUID jobId) {
        return OutboxRecord.delete("key = ?1 and topic = ?2", jobId.toString(), Topics.JOB_REQUESTED);
    }

    /**
     * Adds {@code event} to the outbox. {@code traceParent} is where its send continues the trace:
     * the current span's (a request's, a consumed record's), else the job's own for work no request
     * started (a dispatch, a reconciler's change), so everything done for a job is one trace.
     */
    private static Uni<Void> add(String topic, UUID jobId, String traceParent, Object event) {
        OutboxRecord record = new OutboxRecord();
        record.eventId = UUID.randomUUID();
        record.topic = topic;
        record.key = jobId.toString();
        record.payload = EventJson.encodeToString(event);
        record.createdAt = Instant.now();
        record.traceParent = traceParent;
        return record.persist().replaceWithVoid();
    }
}
