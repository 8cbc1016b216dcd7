package io.aegis.web;

import io.aegis.events.AegisHeaders;
import io.aegis.events.ProblemException;
import java.util.UUID;

/** What every service behind the gateway checks first: who calls, and which job they mean. */
public final class Callers {

    /** The user named by the gateway in {@link AegisHeaders#USER}; a request without one is refused. */
    public static String user(String header) {
        if (header == null || header.isBlank()) {
            throw new ProblemException(401, "UNAUTHENTICATED", "Unauthenticated", "No caller was named.");
        }
        return header;
    }

    public static UUID jobId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ProblemException(400, "INVALID_JOB_ID", "Invalid job id", "'" + id + "' is not a job id.");
        }
    }

    private Callers() {
    }
}
