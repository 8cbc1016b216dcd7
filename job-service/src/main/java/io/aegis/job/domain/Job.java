package io.aegis.job.domain;

import io.aegis.contracts.http.JobSubmission;
import io.aegis.events.JobStatus;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A job and its execution steps (table {@code jobs.job}). */
@Entity
@Table(name = "job")
public class Job extends PanacheEntityBase {

    @Id
    public UUID id;
    public String owner;
    public String name;
    @Column(name = "file_name")
    public String fileName;
    public String pipeline;
    @Column(name = "database_name")
    public String database;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> params;
    @Enumerated(EnumType.STRING)
    public JobStatus status;
    public String step;
    public int done;
    public int total;
    @Column(name = "sequence_count")
    public int sequenceCount;
    @Column(name = "residue_count")
    public long residueCount;
    public int attempt;
    @Column(name = "last_seq")
    public long lastSeq;
    public String error;
    @Column(name = "error_code")
    public String errorCode;
    @JdbcTypeCode(SqlTypes.JSON)
    public ExecutionSteps steps;
    @JdbcTypeCode(SqlTypes.JSON)
    public EarlierAttempts attempts = new EarlierAttempts(List.of());
    @Version
    public long version;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    public String worker;
    @Column(name = "dispatched_at")
    public Instant dispatchedAt;
    @Column(name = "cancel_requested_at")
    public Instant cancelRequestedAt;
    @Column(name = "input_digest")
    public String inputDigest;
    @Column(name = "reuse_key")
    public String reuseKey;
    @Column(name = "reused_from")
    public UUID reusedFrom;
    /** The W3C {@code traceparent} of the submit, which the job's later work continues (null with tracing off). */
    @Column(name = "trace_parent")
    public String traceParent;

    /** A new queued job for a validated submission, with the keys result reuse matches on. */
    public static Job queued(UUID id, String owner, JobSubmission submission, ReuseKey reuse, Instant now) {
        Job job = new Job();
        job.id = id;
        job.owner = owner;
        job.name = submission.name();
        job.fileName = submission.fileName();
        job.pipeline = submission.pipeline();
        job.database = submission.database();
        job.params = submission.params() == null ? Map.of() : submission.params();
        job.sequenceCount = submission.sequenceCount();
        job.residueCount = submission.residueCount();
        job.inputDigest = reuse.inputDigest();
        job.reuseKey = reuse.key();
        job.createdAt = now;
        job.apply(JobState.queued(submission.sequenceCount()), now);
        return job;
    }

    public JobState state() {
        return new JobState(status, step, done, total, attempt, lastSeq, error, errorCode, steps.steps(),
                startedAt, finishedAt, heartbeatAt, worker, dispatchedAt, cancelRequestedAt, attempts.attempts());
    }

    public void apply(JobState state, Instant now) {
        status = state.status();
        step = state.step();
        done = state.done();
        total = state.total();
        attempt = state.attempt();
        lastSeq = state.lastSeq();
        error = state.error();
        errorCode = state.errorCode();
        steps = new ExecutionSteps(state.steps());
        startedAt = state.startedAt();
        finishedAt = state.finishedAt();
        heartbeatAt = state.heartbeatAt();
        worker = state.worker();
        dispatchedAt = state.dispatchedAt();
        cancelRequestedAt = state.cancelRequestedAt();
        attempts = new EarlierAttempts(state.earlier());
        updatedAt = now;
    }
}
