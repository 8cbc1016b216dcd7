package io.aegis.job.domain;

import io.aegis.events.ArtifactState;
import io.aegis.events.ArtifactStateEvent;
import java.util.OptionalInt;

/**
 * What job-service knows of a finished job's artifacts, which artifact-service makes: whether the
 * finalization of the job's last end settled, and what the sweep does about one that did not
 * ({@code FinalizationSweeper}). Pure, so the rules are tested without a broker or a database.
 */
public final class Finalization {

    /** What the sweep does with a finished job whose finalization has not settled after the grace period. */
    public enum Step {
        /** Announce the job's terminal state again: artifact-service finalizes it (a duplicate changes nothing). */
        REANNOUNCE,
        /** Every re-announcement went unanswered: stop, and tell the operator. */
        GIVE_UP
    }

    private Finalization() {
    }

    /**
     * The attempt of the job whose finalization {@code event} settles: the manifest's ready or failed
     * (artifact-service builds it last, once everything else was made or failed for good). Empty for
     * every other artifact and state. An event that does not name its attempt comes from a producer
     * that predates retries, for whom every end was the first.
     */
    public static OptionalInt settledAttempt(ArtifactStateEvent event) {
        if (event == null || event.jobId() == null || !ArtifactStateEvent.MANIFEST.equals(event.name())
                || (event.state() != ArtifactState.READY && event.state() != ArtifactState.FAILED)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(event.attempt() == null ? 1 : event.attempt());
    }

    /**
     * The sweep's next step for a job whose terminal state was announced again {@code reannounced}
     * times since it ended, and whose finalization still has not settled a grace period after the last:
     * another announcement while fewer than {@code maxReannounces} went out, else it gives up.
     */
    public static Step next(int reannounced, int maxReannounces) {
        return reannounced < maxReannounces ? Step.REANNOUNCE : Step.GIVE_UP;
    }
}
