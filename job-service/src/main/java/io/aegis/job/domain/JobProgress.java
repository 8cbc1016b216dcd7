package io.aegis.job.domain;

import io.aegis.events.JobStatus;
import java.time.Instant;
import java.util.List;

/** The part of a job that progress events change; {@link ProgressMerge} maps one to the next. */
public record JobProgress(
        JobStatus status,
        String step,
        int done,
        int total,
        int attempt,
        long lastSeq,
        String error,
        String errorCode,
        List<StepState> steps,
        Instant startedAt,
        Instant finishedAt,
        Instant heartbeatAt) {

    public JobProgress {
        steps = List.copyOf(steps);
    }

    /** True when other systems must hear of the change (status, step or progress moved). */
    public boolean differsInStateFrom(JobProgress other) {
        return status != other.status || done != other.done || total != other.total
                || !java.util.Objects.equals(step, other.step);
    }
}
