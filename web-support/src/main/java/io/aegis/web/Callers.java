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

    /**
     * A path segment as the router decoded it. One holding a control character (a NUL, a line break)
     * names nothing here and is refused before it reaches a query, a header or a file name.
     */
    public static String segment(String value) {
        if (value != null && hasControlCharacter(value)) {
            throw new ProblemException(400, "INVALID_PATH", "Invalid path", "A path segment holds a control character.");
        }
        return value;
    }

    /** Whether {@code value} holds a C0 or C1 control character or DEL. */
    public static boolean hasControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                return true;
            }
        }
        return false;
    }

    private Callers() {
    }
}
