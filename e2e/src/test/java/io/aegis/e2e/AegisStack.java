package io.aegis.e2e;

import io.aegis.contracts.http.InternalIdentity;
import io.aegis.stack.LocalStack;
import io.aegis.stack.Service;
import io.aegis.testing.KafkaBroker;
import io.aegis.testing.TestJvm;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * The five Aegis services as real processes (their runnable jars, prod profile) on free ports,
 * wired to the suite's real Kafka broker, the local PostgreSQL and a Redis and a store of the
 * stack's own: a {@link LocalStack} with the end-to-end suite's settings. Tokens come from the
 * {@code ./aegis token} command, as a user's would.
 */
final class AegisStack implements AutoCloseable {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final List<String> SERVICES = Stream.of(Service.values()).map(Service::id).toList();

    /** A database of the end-to-end tests' own, emptied at each start: no other suite's jobs wait in it. */
    static final String DATABASE = "aegis_e2e";
    /** The users tokens are made for. */
    static final String USERS = "alice,bob,carol,dave,erin";
    /** A user's unfinished jobs, at most (aegis.queue.active-per-user): low, so that a test can reach it. */
    static final int ACTIVE_PER_USER = 12;
    /** A user's submits a minute, at most (aegis.limits.submits-per-minute). */
    static final int SUBMITS_PER_MINUTE = 40;

    private final LocalStack stack;

    private AegisStack(LocalStack stack) {
        this.stack = stack;
    }

    static AegisStack start() throws IOException {
        Path home = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "e2e-").toAbsolutePath();
        return new AegisStack(LocalStack.builder(REPO, home)
                .name("e2e-" + home.getFileName())
                .kafka(KafkaBroker.shared().bootstrapServers())
                .database(DATABASE)
                .users(List.of(USERS.split(",")))
                .jvm(TestJvm.with("-Xmx256m").toArray(String[]::new))
                .setting("AEGIS_QUEUE_ACTIVE_PER_USER", String.valueOf(ACTIVE_PER_USER))
                .setting("AEGIS_LIMITS_SUBMITS_PER_MINUTE", String.valueOf(SUBMITS_PER_MINUTE))
                // a lost worker is noticed with the production defaults (a 2 s heartbeat, a 12 s timeout, a
                // reconciler pass a second), which the recovery scenarios hold to their targets
                .start());
    }

    URI gateway() {
        return stack.gateway();
    }

    /** Where a service answers: {@code http://127.0.0.1:<port>}. */
    String url(String service) {
        return stack.url(Service.named(service));
    }

    /** The port of the stack's Redis. */
    int redisPort() {
        return stack.redis().port();
    }

    /** The port a service listens on (on the loopback interface, but for the gateway). */
    int port(String service) {
        return stack.port(Service.named(service));
    }

    /** An identity for {@code user} signed as another Aegis service of this stack would sign it. */
    String identity(String user, Instant at) {
        return InternalIdentity.sign(InternalIdentity.Caller.user("e2e", user, false),
                InternalIdentity.key(stack.internalKey()), at);
    }

    Path store() {
        return stack.store();
    }

    /** A bearer token for a local user, from {@code ./aegis token <user>} with this stack's secret. */
    String token(String user) {
        return stack.token(user);
    }

    /** Kills a service at once, as a crash or an evicted pod would: no shutdown hooks run. */
    void kill(String service) throws InterruptedException {
        stack.kill(Service.named(service));
    }

    /** Starts a service again with the same settings and waits until it is ready. */
    void restart(String service) throws IOException {
        stack.restart(Service.named(service));
    }

    String logTail(String service) {
        return stack.logTail(Service.named(service));
    }

    @Override
    public void close() {
        stack.close();
    }
}
