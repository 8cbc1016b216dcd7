package io.aegis.job.domain;

import io.aegis.events.JobStatus;

/**
 * What the rest of Aegis must be told after a lifecycle change, derived from the states before and
 * after it, so every writer announces the same change the same way.
 *
 * @param withdrawRequests drop requests not yet relayed (the job will not run that attempt)
 * @param stopAttempt      the attempt whichever worker holds it must stop, or 0
 * @param stopReason       why, for the worker's log
 * @param dispatch         hand the attempt to the workers: one re-queued for a lost worker, or one whose turn has come
 * @param publishState     status, attempt, step or progress moved
 */
public record JobEffects(boolean withdrawRequests, int stopAttempt, String stopReason, boolean dispatch,
                         boolean publishState) {

    public static JobEffects between(JobState before, JobState after) {
        boolean newAttempt = after.attempt() != before.attempt();
        // a job cancelled before its turn came was never handed out: nobody is to be told
        boolean cancelledWhileQueued = before.status() == JobStatus.QUEUED && after.status() == JobStatus.CANCELLED
                && before.dispatchedAt() != null;
        int stop = 0;
        String reason = null;
        if (after.status() == JobStatus.CANCELLING && before.status() != JobStatus.CANCELLING) {
            stop = after.attempt();
            reason = "cancel requested";
        } else if (cancelledWhileQueued) {
            stop = before.attempt();
            reason = "cancelled while queued";
        } else if (newAttempt && !before.status().isTerminal()) {
            stop = before.attempt();
            reason = "superseded by attempt " + after.attempt();
        } else if (after.status() == JobStatus.FAILED && before.status() != JobStatus.FAILED
                && JobLifecycle.WORKER_LOST.equals(after.errorCode())) {
            stop = before.attempt();
            reason = "worker lost";
        }
        boolean handedOut = before.dispatchedAt() == null && after.dispatchedAt() != null
                && after.status() == JobStatus.QUEUED;
        // a retried job waits its turn, as a new one does: it is handed out once dispatched
        boolean requeued = newAttempt && after.dispatchedAt() != null;
        return new JobEffects(newAttempt || cancelledWhileQueued, stop, reason, requeued || handedOut,
                after.differsInStateFrom(before));
    }
}
