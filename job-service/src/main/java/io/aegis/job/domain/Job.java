package io.aegis.job.domain;

import io.aegis.events.JobStatus;
import io.aegis.events.JobSubmission;
import io.aegis.events.Steps;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
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

    /** A new queued job for a validated submission. */
    public static Job queued(UUID id, String owner, JobSubmission submission, Instant now) {
        Job job = new Job();
        job.id = id;
        job.owner = owner;
        job.name = submission.name();
        job.fileName = submission.fileName();
        job.pipeline = submission.pipeline();
        job.database = submission.database();
        job.params = submission.params() == null ? Map.of() : submission.params();
        job.status = JobStatus.QUEUED;
        job.total = submission.sequenceCount();
        job.sequenceCount = submission.sequenceCount();
        job.residueCount = submission.residueCount();
        job.attempt = 1;
        job.steps = new ExecutionSteps(Steps.BLAST.stream().map(StepState::pending).toList());
        job.createdAt = now;
        job.updatedAt = now;
        return job;
    }

    public JobProgress progress() {
        return new JobProgress(status, step, done, total, attempt, lastSeq, error, errorCode, steps.steps(),
                startedAt, finishedAt, heartbeatAt);
    }

    public void apply(JobProgress progress, Instant now) {
        status = progress.status();
        step = progress.step();
        done = progress.done();
        total = progress.total();
        lastSeq = progress.lastSeq();
        error = progress.error();
        errorCode = progress.errorCode();
        steps = new ExecutionSteps(progress.steps());
        startedAt = progress.startedAt();
        finishedAt = progress.finishedAt();
        heartbeatAt = progress.heartbeatAt();
        updatedAt = now;
    }
}
