package io.aegis.e2e;

import io.aegis.contracts.http.InternalIdentity;
import io.aegis.stack.LocalStack;
import io.aegis.stack.Service;
import io.aegis.testing.KafkaBroker;
import io.aegis.testing.RedisServer;
import io.aegis.testing.TcpRelay;
import io.aegis.testing.TestJvm;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    /**
     * The most query residues the worker puts in one batch (aegis.worker.batch-residues): its
     * default, stated here so that a test can tell the least number of batches a job makes.
     */
    static final long BATCH_RESIDUES = 20_000;
    /**
     * The pipelines the services offer beside the built-in one (aegis.pipelines.dir, read by the
     * gateway and the worker alike): the worker's test pipelines, among them {@code unsteady}, whose
     * tool crashes on a batch a test marks.
     */
    static final Path PIPELINES = REPO.resolve("pipeline-worker/src/test/resources/pipelines");

    private final LocalStack stack;

    private AegisStack(LocalStack stack) {
        this.stack = stack;
    }

    static AegisStack start() throws IOException {
        return start(Map.of());
    }

    /** The end-to-end suite's stack with {@code settings} (environment variables of the services) beside its own. */
    static AegisStack start(Map<String, String> settings) throws IOException {
        LocalStack.Builder builder = builder("e2e-")
                .kafka(KafkaBroker.shared().bootstrapServers())
                .setting("AEGIS_QUEUE_ACTIVE_PER_USER", String.valueOf(ACTIVE_PER_USER))
                .setting("AEGIS_LIMITS_SUBMITS_PER_MINUTE", String.valueOf(SUBMITS_PER_MINUTE))
                .setting("AEGIS_WORKER_BATCH_RESIDUES", String.valueOf(BATCH_RESIDUES));
        settings.forEach(builder::setting);
        return new AegisStack(builder.start());
    }

    /**
     * A stack whose every part a test may take away without touching anyone else's: a Kafka broker
     * of its own (killed and started again), PostgreSQL through a relay of its own (cut, as a
     * restart or a stop of the server looks to the services), its own Redis. Its worker searches
     * a job {@code batchResidues} query residues at a time, one batch after another, so that even
     * the example queries run as many batches and a fault lands mid-job; it runs two jobs at once
     * (one user's beside another's); no submit limit holds back a test that submits many at once.
     */
    static AegisStack startWithOwnParts(int batchResidues) throws IOException {
        return new AegisStack(builder("faults-")
                .databaseRelay()
                .setting("AEGIS_WORKER_BATCH_RESIDUES", String.valueOf(batchResidues))
                .setting("AEGIS_WORKER_BATCH_CONCURRENCY", "1")
                .setting("AEGIS_WORKER_SLOTS", "2")
                .setting("AEGIS_LIMITS_SUBMITS_PER_MINUTE", "0")
                .start());
    }

    /**
     * The end-to-end suite's settings, in a home under target/ named {@code prefix}…. A lost worker
     * is noticed with the production defaults (a 2 s heartbeat, a 12 s timeout, a reconciler pass a
     * second), which the recovery scenarios hold to their targets. The {@link #PIPELINES} are offered
     * beside the built-in one, as an operator adds pipelines.
     */
    private static LocalStack.Builder builder(String prefix) throws IOException {
        Path home = Files.createTempDirectory(Files.createDirectories(Path.of("target")), prefix).toAbsolutePath();
        return LocalStack.builder(REPO, home)
                .name("e2e-" + home.getFileName())
                .database(DATABASE)
                .users(List.of(USERS.split(",")))
                .setting("AEGIS_PIPELINES_DIR", PIPELINES.toString())
                .jvm(TestJvm.with("-Xmx256m").toArray(String[]::new));
    }

    URI gateway() {
        return stack.gateway();
    }

    /** Where a service answers: {@code http://127.0.0.1:<port>}. */
    String url(String service) {
        return stack.url(Service.named(service));
    }

    /** Where a service's Prometheus metrics are scraped: {@code /q/metrics} on its management port. */
    URI metrics(String service) {
        return URI.create(stack.metricsUrl(Service.named(service)));
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

    /** Kills the stack's own broker ({@code kill -9}); see {@link #startWithOwnParts}. */
    void killKafka() {
        stack.killKafka();
    }

    /** Starts the stack's own broker again on its port and data; returns once it listens. */
    void restartKafka() {
        stack.restartKafka();
    }

    /** The relay between the services and PostgreSQL; see {@link #startWithOwnParts}. */
    TcpRelay databaseRelay() {
        return stack.databaseRelay();
    }

    RedisServer redis() {
        return stack.redis();
    }

    /**
     * The {@code blastp} processes of this stack still running: those whose working folder is in its
     * store (the worker's scratch). A tool outlives a worker killed outright, so the worker's own
     * children do not say it all.
     */
    List<ProcessHandle> blastpRunning() {
        Path store = stack.store().toAbsolutePath().normalize();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/blastp")).orElse(false))
                .filter(p -> workingFolder(p).map(dir -> dir.startsWith(store)).orElse(false))
                .toList();
    }

    private static Optional<Path> workingFolder(ProcessHandle process) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd")));
        } catch (IOException | UnsupportedOperationException gone) {
            return Optional.empty(); // it ended meanwhile, or is not ours to look into
        }
    }

    @Override
    public void close() {
        stack.close();
    }
}
