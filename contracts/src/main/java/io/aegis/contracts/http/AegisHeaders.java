package io.aegis.contracts.http;

/**
 * HTTP headers between the Aegis services. A caller is named by {@link #IDENTITY}, which the
 * calling service signs ({@link InternalIdentity}); each service checks it before any route runs,
 * drops whatever {@link #USER} or {@link #ADMIN} a request came with, and sets them from the
 * identity it checked. The routes read those two.
 */
public final class AegisHeaders {

    /** The signed caller ({@link InternalIdentity}), sent by the calling service. */
    public static final String IDENTITY = "X-Aegis-Identity";
    /** The user a request acts for, as the receiving service's own check found it. */
    public static final String USER = "X-Aegis-User";
    /** {@code true} when that user administers Aegis, as the receiving service's own check found it. */
    public static final String ADMIN = "X-Aegis-Admin";

    private AegisHeaders() {
    }
}
