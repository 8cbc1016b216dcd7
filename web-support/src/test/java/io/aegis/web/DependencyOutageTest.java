package io.aegis.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.contracts.problem.ProblemException;
import io.aegis.testing.Ports;
import io.aegis.testing.TcpRelay;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The outage rule over the exceptions the clients really raise: some made here by Vert.x and
 * PostgreSQL themselves (a refused connection, a connection cut under a query, a real SQL error),
 * the rest instances of the clients' own classes as they create them.
 */
class DependencyOutageTest {

    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static PgConnectOptions database(int port) {
        return new PgConnectOptions().setHost("127.0.0.1").setPort(port).setDatabase("aegis_test")
                .setUser("aegis").setPassword("aegis").setConnectTimeout(2000);
    }

    private static Throwable failureOf(Future<?> future) throws Exception {
        try {
            future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure, got " + future.result());
    }

    @Test
    void aConnectionPostgresqlRefusesIsAnOutage() throws Exception {
        Throwable refused = failureOf(PgConnection.connect(vertx, database(Ports.free())));
        assertThat(refused).isInstanceOf(ConnectException.class);
        assertThat(DependencyOutage.shownBy(refused)).containsSame(refused);
        // as Hibernate Reactive and Mutiny hand it on
        CompletionException wrapped = new CompletionException(new IllegalStateException("session", refused));
        assertThat(DependencyOutage.shownBy(wrapped)).containsSame(refused);
    }

    @Test
    void aQueryWhoseConnectionIsCutIsAnOutageAndAnSqlErrorIsNot() throws Exception {
        try (TcpRelay relay = TcpRelay.to("127.0.0.1", 5432)) {
            PgConnection connection = PgConnection.connect(vertx, database(relay.port()))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            Throwable syntax = failureOf(connection.query("SELEC 1").execute());
            assertThat(syntax).isInstanceOf(PgException.class);
            assertThat(DependencyOutage.shownBy(syntax)).isEmpty();

            Future<?> query = connection.query("SELECT pg_sleep(5)").execute();
            relay.cut();
            Throwable cut = failureOf(query);
            assertThat(DependencyOutage.shownBy(cut)).as(cut.toString()).isPresent();
            Throwable afterwards = failureOf(connection.query("SELECT 1").execute());
            assertThat(DependencyOutage.shownBy(afterwards)).as(afterwards.toString()).isPresent();
            Throwable refused = failureOf(PgConnection.connect(vertx, database(relay.port())));
            assertThat(DependencyOutage.shownBy(refused)).as(refused.toString()).isPresent();
        }
    }

    @Test
    void postgresqlStoppingStartingOrUnreachableIsAnOutageBySqlState() {
        for (String state : new String[] {"57P01", "57P02", "57P03", "08000", "08001", "08003", "08006", "08P01"}) {
            PgException server = new PgException("terminating connection due to administrator command", "FATAL",
                    state, null);
            assertThat(DependencyOutage.shownBy(server)).as(state).containsSame(server);
            // Hibernate Reactive's translation: a JDBCException caused by an SQLException with the same state
            SQLException translated = new SQLException(server.getMessage(), state, 0);
            assertThat(DependencyOutage.shownBy(new RuntimeException("JDBCException", translated))).as(state)
                    .containsSame(translated);
        }
    }

    @Test
    void sqlErrorsOfTheRequestItselfAreNoOutage() {
        // unique violation, syntax error, undefined table, serialization failure, query canceled, bad password
        for (String state : new String[] {"23505", "42601", "42P01", "40001", "57014", "28P01", "3D000", null}) {
            assertThat(DependencyOutage.shownBy(new PgException("no", "ERROR", state, null))).as(state).isEmpty();
            assertThat(DependencyOutage.shownBy(new SQLException("no", state, 0))).as(state).isEmpty();
        }
    }

    @Test
    void closedConnectionsAndPoolsThatCannotServeAreOutages() {
        assertThat(DependencyOutage.shownBy(ClosedConnectionException.INSTANCE)).isPresent();
        assertThat(DependencyOutage.shownBy(new VertxException("Connection was closed", true))).isPresent();
        assertThat(DependencyOutage.shownBy(new VertxException(
                "Pending requests failed to be sent due to connection has been closed."))).isPresent();
        assertThat(DependencyOutage.shownBy(new NoStackTraceThrowable(
                "Pending requests failed to be sent due to connection has been closed."))).isPresent();
        assertThat(DependencyOutage.shownBy(new VertxException("Timeout waiting for connection", true))).isPresent();
        assertThat(DependencyOutage.shownBy(new NoStackTraceThrowable("Timeout"))).isPresent();
        assertThat(DependencyOutage.shownBy(new ConnectionPoolTooBusyException("too many waiting"))).isPresent();
        assertThat(DependencyOutage.shownBy(new SocketException("Connection reset"))).isPresent();
        assertThat(DependencyOutage.shownBy(new IOException("recvAddress(..) failed: Connection reset by peer")))
                .isPresent();
        assertThat(DependencyOutage.shownBy(new VertxException("Connection refused: /127.0.0.1:5432"))).isPresent();
    }

    @Test
    void bugsAndRefusalsAreNoOutage() {
        assertThat(DependencyOutage.shownBy(new NullPointerException())).isEmpty();
        assertThat(DependencyOutage.shownBy(new IllegalStateException("Connection refused? no: a bug"))).isEmpty();
        assertThat(DependencyOutage.shownBy(new VertxException("Request body too large"))).isEmpty();
        assertThat(DependencyOutage.shownBy(new NoStackTraceThrowable("Timeout of the job's own"))).isEmpty();
        assertThat(DependencyOutage.shownBy(new IOException("No space left on device"))).isEmpty();
        assertThat(DependencyOutage.shownBy(null)).isEmpty();
        ProblemException refusal = new ProblemException(409, "JOB_ALREADY_FINISHED", "Conflict", "finished");
        refusal.addSuppressed(new SocketException("Connection reset"));
        assertThat(DependencyOutage.shownBy(refusal)).as("a refusal says itself what the client hears").isEmpty();
    }

    @Test
    void theWalkFollowsSuppressedFailuresAndEndsOnACycle() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);
        assertThat(DependencyOutage.shownBy(first)).isEmpty();
        SocketException reset = new SocketException("Connection reset");
        second.addSuppressed(reset);
        assertThat(DependencyOutage.shownBy(first)).containsSame(reset);
    }

    @Test
    void theRefusalIsTheGatewaysServiceUnavailableWithRetryAfter() {
        ProblemException refusal = DependencyOutage.refusal();
        assertThat(refusal.problem().status()).isEqualTo(503);
        assertThat(refusal.problem().code()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(refusal.retryAfterSeconds()).contains(5L);
        assertThat(DependencyOutage.summary(new PgException("the database system is starting up", "FATAL", "57P03",
                null))).isEqualTo("io.vertx.pgclient.PgException [57P03]: FATAL: the database system is starting up"
                + " (57P03)");
    }
}
