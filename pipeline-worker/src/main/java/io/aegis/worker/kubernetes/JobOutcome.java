package io.aegis.worker.kubernetes;

import java.util.Optional;

/** Where a tool's Job stands, as {@link JobOutcomes#of} reads it from the Job and its pods. */
public sealed interface JobOutcome {

    /** The pod whose log tells how the tool ended; none when no container ran. */
    Optional<String> pod();

    /** True once nothing more will happen: the worker stops waiting. */
    default boolean finished() {
        return !(this instanceof Running);
    }

    /** Not finished yet: pending, pulling its image, or running. */
    record Running() implements JobOutcome {
        @Override
        public Optional<String> pod() {
            return Optional.empty();
        }
    }

    /** The tool exited 0. */
    record Succeeded(Optional<String> pod) implements JobOutcome {
    }

    /**
     * The tool failed, or its container never started.
     *
     * @param exitCode   the container's exit code, {@link JobOutcomes#NOT_STARTED} when it could not
     *                   start, {@link JobOutcomes#NO_EXIT_CODE} when the pod ended without one
     * @param message    why, in Kubernetes' words (reason and message), for the job's error
     * @param jobEnded   false when the Job is still active (a pod stuck on its image): the worker deletes it
     */
    record Failed(int exitCode, String message, Optional<String> pod, boolean jobEnded) implements JobOutcome {
    }

    /** The cluster stopped the Job at its {@code activeDeadlineSeconds}. */
    record TimedOut(String message, Optional<String> pod) implements JobOutcome {
    }
}
