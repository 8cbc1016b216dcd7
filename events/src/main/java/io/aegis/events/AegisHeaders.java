package io.aegis.events;

/**
 * HTTP headers between the gateway and the services behind it. The gateway authenticates the
 * caller and passes the user on; services behind it are not reachable from outside.
 */
public final class AegisHeaders {

    /** The authenticated user a request acts for. */
    public static final String USER = "X-Aegis-User";

    private AegisHeaders() {
    }
}
