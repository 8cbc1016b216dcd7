package io.aegis.events;

import java.time.Instant;
import java.util.UUID;

/** A control request for a running job ({@link Topics#JOB_CONTROL}); every worker replica sees it. */
public record JobControlEvent(int schema, UUID jobId, Action action, int attempt, String reason, Instant at) {

    public static final int SCHEMA = 1;

    public enum Action {
        CANCEL
    }
}
