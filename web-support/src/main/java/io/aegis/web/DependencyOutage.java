package io.aegis.web;

import io.aegis.contracts.problem.ProblemException;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.io.IOException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tells a dependency that is away (PostgreSQL stopped or restarting, a connection cut under a query,
 * a pool that cannot get a connection) from a bug, by walking a failure's causes. A request that
 * fails for the first reason is worth repeating in a few seconds, and its client is told so
 * ({@code 503} {@code SERVICE_UNAVAILABLE} with {@code Retry-After}, as the gateway answers for a
 * service behind it that is away); anything else stays a {@code 500}.
 *
 * <p>What counts, as the clients on the services' class path raise it:
 * <ul>
 *   <li>the network: a {@link SocketException} (connection refused, reset, no route; Netty's
 *       {@code AnnotatedConnectException} and {@code ConnectTimeoutException} are
 *       {@link java.net.ConnectException}s), a channel already closed, a host name that does not
 *       resolve, and Netty's native transport's I/O errors ("Connection reset by peer");</li>
 *   <li>Vert.x: a connection closed under a request ("Connection was closed", "Pending requests
 *       failed to be sent due to connection has been closed.", and the SQL client's "Connection is not
 *       active now, current status: CLOSED" for a query on a connection already lost), the SQL client's
 *       {@link ClosedConnectionException} ("the underlying connection may have been lost"), a pool
 *       whose wait queue is full ({@link ConnectionPoolTooBusyException}) or whose wait for a
 *       connection timed out ("Timeout waiting for connection"; the SQL pool's acquisition timeout
 *       fails with a bare "Timeout");</li>
 *   <li>PostgreSQL itself, by SQLSTATE: class {@code 08} (connection exception) and
 *       {@code 57P01}/{@code 57P02}/{@code 57P03} (administrator or crash shutdown, cannot connect
 *       now: a server stopping or starting), on the SQL client's {@link DatabaseException} or on a
 *       {@link SQLException}, which is where Hibernate Reactive puts it (it turns the client's
 *       exception into a {@code JDBCException} caused by an {@code SQLException} with the same state).</li>
 * </ul>
 * A constraint violation, a syntax error, a missing table or any exception of the service's own is
 * no outage, whatever wraps it.
 *
 * <p>The SQL client is on the class path of the services that have a database only; its types are
 * touched only where it is there, so the gateway and the others use this rule too.
 */
public final class DependencyOutage {

    /** How long a client is asked to wait: a PostgreSQL restart or a pod moving takes seconds. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    /** Shutdown in progress (57P01 admin, 57P02 crash) and cannot connect now (57P03, starting up). */
    private static final Set<String> SHUTDOWN_STATES = Set.of("57P01", "57P02", "57P03");
    /** Messages Vert.x and Netty give connections that failed or closed, rather than a type of their own. */
    private static final List<String> CONNECTION_MESSAGES = List.of("Connection refused", "Connection reset",
            "Connection was closed", "connection has been closed", "Connection is not active now",
            "Timeout waiting for connection");
    /** The SQL pool's acquisition timeout: {@code Future.failedFuture("Timeout")}. */
    private static final String POOL_TIMEOUT = "Timeout";
    /** How many links of a chain are looked at: a cycle or a runaway chain ends the walk. */
    private static final int MAX_LINKS = 64;
    private static final boolean SQL_CLIENT = present("io.vertx.sqlclient.DatabaseException");

    private DependencyOutage() {
    }

    /**
     * The link of the failure's chain (itself, its causes, and what they suppressed) that shows a
     * dependency away, or empty when the failure is a bug or a refusal of the service's own.
     */
    public static Optional<Throwable> shownBy(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> next = new ArrayDeque<>();
        if (failure != null) {
            next.add(failure);
        }
        while (!next.isEmpty() && seen.size() < MAX_LINKS) {
            Throwable link = next.poll();
            if (!seen.add(link)) {
                continue;
            }
            if (link instanceof ProblemException) {
                // a refusal the service chose says itself what the client should hear
                return Optional.empty();
            }
            if (shows(link)) {
                return Optional.of(link);
            }
            if (link.getCause() != null) {
                next.add(link.getCause());
            }
            next.addAll(List.of(link.getSuppressed()));
        }
        return Optional.empty();
    }

    /** Whether a PostgreSQL SQLSTATE says the server cannot be reached or is stopping or starting. */
    public static boolean unavailableState(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || SHUTDOWN_STATES.contains(sqlState));
    }

    /** The refusal a client gets while a dependency is away: {@code 503 SERVICE_UNAVAILABLE}, {@code Retry-After: 5}. */
    public static ProblemException refusal() {
        return new ProblemException(503, "SERVICE_UNAVAILABLE", "Service unavailable",
                "A service Aegis needs is not answering; try again shortly.").retryAfter(RETRY_AFTER);
    }

    /** One line for the log: the link's type and message, no stack trace (the cause is known, and it repeats per request). */
    public static String summary(Throwable link) {
        String state = link instanceof SQLException sql && sql.getSQLState() != null ? " [" + sql.getSQLState() + "]"
                : SQL_CLIENT ? SqlClient.state(link) : "";
        return link.getClass().getName() + state + ": " + link.getMessage();
    }

    private static boolean shows(Throwable link) {
        if (link instanceof SocketException || link instanceof ClosedChannelException
                || link instanceof UnknownHostException || link instanceof ConnectionPoolTooBusyException) {
            return true;
        }
        if (link instanceof SQLException sql) {
            return unavailableState(sql.getSQLState());
        }
        if (SQL_CLIENT && SqlClient.shows(link)) {
            return true;
        }
        if (link instanceof NoStackTraceThrowable && POOL_TIMEOUT.equals(link.getMessage())) {
            return true;
        }
        return (link instanceof VertxException || link instanceof NoStackTraceThrowable || link instanceof IOException)
                && connectionMessage(link.getMessage());
    }

    private static boolean connectionMessage(String message) {
        return message != null && CONNECTION_MESSAGES.stream().anyMatch(message::contains);
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, DependencyOutage.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The Vert.x SQL client's exceptions, in a class of their own: loaded only where the client is there. */
    private static final class SqlClient {

        private SqlClient() {
        }

        static boolean shows(Throwable link) {
            return link instanceof ClosedConnectionException
                    || link instanceof DatabaseException database && unavailableState(database.getSqlState());
        }

        static String state(Throwable link) {
            return link instanceof DatabaseException database && database.getSqlState() != null
                    ? " [" + database.getSqlState() + "]" : "";
        }
    }
}
