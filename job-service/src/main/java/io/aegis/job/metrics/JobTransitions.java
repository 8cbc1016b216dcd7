package io.aegis.job.metrics;

import io.aegis.events.JobStatus;
import io.aegis.job.domain.EarlierAttempt;
import io.aegis.job.domain.JobLifecycle;
import io.aegis.job.domain.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one committed change of a job means to an operator, derived from its states before and after
 * (as {@code JobEffects} derives the events to announce): a job that ended, an attempt that a later
 * one replaced, a worker that was lost. Pure, so the rules are tested without a registry.
 */
public final class JobTransitions {

    /** Something worth counting that a change did. */
    public sealed interface Observed {
    }

    /**
     * The job reached a terminal state.
     *
     * @param outcome  {@code succeeded}, {@code failed} or {@code cancelled}
     * @param duration from submission to the end; null when the times are unknown
     */
    public record Finished(String outcome, Duration duration) implements Observed {
    }

    /** A new attempt replaced the last one; {@code reason} is the replaced attempt's {@code endedBy}. */
    public record Requeued(String reason) implements Observed {
    }

    /** The reconciler found the job's worker silent (the job runs again, or failed with {@code WORKER_LOST}). */
    public record WorkerLost() implements Observed {
    }

    private JobTransitions() {
    }

    /** What the change from {@code before} to {@code after} of a job submitted at {@code createdAt} did. */
    public static List<Observed> between(JobState before, JobState after, Instant createdAt) {
        List<Observed> observed = new ArrayList<>(2);
        if (after.status().isTerminal() && (before == null || !before.status().isTerminal())) {
            observed.add(new Finished(outcome(after.status()), duration(createdAt, after.finishedAt())));
            if (JobLifecycle.WORKER_LOST.equals(after.errorCode())) {
                observed.add(new WorkerLost());
            }
        }
        int earlierBefore = before == null ? 0 : before.earlier().size();
        if (after.earlier().size() > earlierBefore) {
            String reason = after.earlier().getLast().endedBy();
            observed.add(new Requeued(reason));
            if (EarlierAttempt.WORKER_LOST.equals(reason)) {
                observed.add(new WorkerLost());
            }
        }
        return observed;
    }

    /** The outcome label of a terminal status. */
    public static String outcome(JobStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    private static Duration duration(Instant from, Instant to) {
        if (from == null || to == null || to.isBefore(from)) {
            return null;
        }
        return Duration.between(from, to);
    }
}
