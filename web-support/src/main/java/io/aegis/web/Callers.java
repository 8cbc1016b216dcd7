package io.aegis.web;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.events.ControlCharacters;
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

    /**
     * The user named by {@link AegisHeaders#USER}, who must administer Aegis by {@link AegisHeaders#ADMIN}
     * (both set by the service's own identity check): 401 without a user, 403 for anyone else.
     */
    public static String admin(String user, String admin) {
        String caller = user(user);
        if (!"true".equals(admin)) {
            throw notAnAdmin(caller);
        }
        return caller;
    }

    /** The refusal of a user who does not administer Aegis. */
    public static ProblemException notAnAdmin(String user) {
        return new ProblemException(403, "FORBIDDEN", "Forbidden",
                "Registering databases is for administrators; '" + user + "' is not one.");
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
        if (value != null && ControlCharacters.in(value)) {
            throw new ProblemException(400, "INVALID_PATH", "Invalid path", "A path segment holds a control character.");
        }
        return value;
    }

    private Callers() {
    }
}
