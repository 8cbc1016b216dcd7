package io.aegis.e2e;

import io.aegis.events.InternalIdentity;
import io.aegis.testing.ChildProcesses;
import io.aegis.testing.KafkaBroker;
import io.aegis.testing.Ports;
import io.aegis.testing.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The five Aegis services as real processes (their runnable jars, prod profile) on free ports,
 * wired to the suite's real Kafka broker, the local PostgreSQL and Redis, and a store of its own.
 * Tokens come from the {@code ./aegis token} command, as a user's would.
 */
final class AegisStack implements AutoCloseable {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final List<String> SERVICES =
            List.of("job-service", "pipeline-worker", "artifact-service", "log-stream-service", "gateway-service");

    /** A database of the end-to-end tests' own, emptied at each start: no other suite's jobs wait in it. */
    static final String DATABASE = "aegis_e2e";
    /** The users tokens are made for. */
    static final String USERS = "alice,bob,carol,dave,erin";
    /** A user's unfinished jobs, at most (aegis.queue.active-per-user): low, so that a test can reach it. */
    static final int ACTIVE_PER_USER = 12;
    /** A user's submits a minute, at most (aegis.limits.submits-per-minute). */
    static final int SUBMITS_PER_MINUTE = 40;

    private final Path home;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    /** The key the services vouch for their callers with: this stack's own. */
    private final String internalKey = newKey();
    /** A Redis of the stack's own, with a password, as the local stack's. */
    private final RedisServer redis = RedisServer.start();

    private AegisStack(Path home) {
        this.home = home;
    }

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return HexFormat.of().formatHex(key);
    }

    static AegisStack start() throws IOException {
        Path home = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "e2e-").toAbsolutePath();
        AegisStack stack = new AegisStack(home);
        try {
            stack.launch(KafkaBroker.shared().bootstrapServers());
            return stack;
        } catch (RuntimeException | IOException e) {
            stack.close();
            throw e;
        }
    }

    URI gateway() {
        return URI.create("http://127.0.0.1:" + ports.get("gateway-service"));
    }

    /** The port of the stack's Redis. */
    int redisPort() {
        return redis.port();
    }

    /** The port a service listens on (on the loopback interface, but for the gateway). */
    int port(String service) {
        return ports.get(service);
    }

    /** An identity for {@code user} signed as another Aegis service of this stack would sign it. */
    String identity(String user, Instant at) {
        return InternalIdentity.sign(InternalIdentity.Caller.user("e2e", user, false), InternalIdentity.key(internalKey), at);
    }

    Path store() {
        return home.resolve("store");
    }

    /** A bearer token for a local user, from {@code ./aegis token <user>} with this stack's secret. */
    String token(String user) {
        try {
            ProcessBuilder builder = new ProcessBuilder(REPO.resolve("aegis").toString(), "token", user)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().put("AEGIS_HOME", home.toString());
            builder.environment().put("AEGIS_IDENTITY_USERS", USERS);
            // this stack runs no provider: the gateway's own tokens (the gateway's tests sign in with a real one)
            builder.environment().put("AEGIS_PROVIDER", "0");
            Process process = builder.start();
            process.getOutputStream().close();
            String token = new String(process.getInputStream().readAllBytes()).strip();
            if (process.waitFor() != 0 || token.isEmpty()) {
                throw new IllegalStateException("./aegis token " + user + " failed");
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void launch(String kafka) throws IOException {
        List<Integer> free = Ports.free(SERVICES.size());
        for (int i = 0; i < SERVICES.size(); i++) {
            ports.put(SERVICES.get(i), free.get(i));
        }
        emptyDatabase();
        token("alice"); // the first token creates this stack's signing secret
        String secret = Files.readString(home.resolve("token-secret")).strip();
        Files.createDirectories(home.resolve("logs"));
        for (String service : SERVICES) {
            processes.put(service, launch(service, kafka, secret));
        }
        for (String service : SERVICES) {
            awaitReady(service, Duration.ofSeconds(120));
        }
    }

    /** Drops what an earlier run left in the database; each service migrates it again as it starts. */
    private static void emptyDatabase() throws IOException {
        Map<String, String> env = System.getenv();
        ProcessBuilder psql = new ProcessBuilder("psql", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", env.getOrDefault("AEGIS_DB_HOST", "127.0.0.1"), "-p", env.getOrDefault("AEGIS_DB_PORT", "5432"),
                "-U", env.getOrDefault("AEGIS_DB_USER", "aegis"), "-d", DATABASE,
                "-c", "DROP SCHEMA IF EXISTS jobs CASCADE; DROP SCHEMA IF EXISTS artifacts CASCADE")
                .redirectErrorStream(true);
        psql.environment().put("PGPASSWORD", env.getOrDefault("AEGIS_DB_PASSWORD", "aegis"));
        Process process = psql.start();
        String output = new String(process.getInputStream().readAllBytes());
        try {
            if (process.waitFor() != 0) {
                throw new IllegalStateException("Cannot empty the database " + DATABASE + " (./aegis test creates it): "
                        + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Process launch(String service, String kafka, String secret) throws IOException {
        Path jar = REPO.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("No runnable jar at " + jar + "; build the services first (mvn package)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString())
                .directory(REPO.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("logs").resolve(service + ".log").toFile()));
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", ports.get(service).toString());
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
        env.put("AEGIS_DB_NAME", DATABASE);
        if (service.equals("job-service") || service.equals("artifact-service")) {
            // the services take no default password outside dev and tests
            env.put("AEGIS_DB_USER", System.getenv().getOrDefault("AEGIS_DB_USER", "aegis"));
            env.put("AEGIS_DB_PASSWORD", System.getenv().getOrDefault("AEGIS_DB_PASSWORD", "aegis"));
        }
        env.put("AEGIS_IDENTITY_USERS", USERS);
        env.put("AEGIS_STORE_ROOT", store().toString());
        env.put("AEGIS_DATABASES_SOURCE_DIR", REPO.resolve("examples/databases").toString());
        env.put("AEGIS_INTERNAL_KEY", internalKey);
        if (service.equals("gateway-service")) {
            env.put("AEGIS_IDENTITY_TOKEN_SECRET", secret);
        }
        if (service.equals("gateway-service") || service.equals("log-stream-service")) {
            env.put("AEGIS_REDIS_URL", redis.url());
        }
        env.put("AEGIS_SERVICES_JOB", url("job-service"));
        env.put("AEGIS_SERVICES_WORKER", url("pipeline-worker"));
        env.put("AEGIS_SERVICES_ARTIFACT", url("artifact-service"));
        env.put("AEGIS_SERVICES_LOG_STREAM", url("log-stream-service"));
        env.put("AEGIS_LOG_STREAM_INSTANCE", "e2e-" + home.getFileName());
        env.put("AEGIS_QUEUE_ACTIVE_PER_USER", String.valueOf(ACTIVE_PER_USER));
        env.put("AEGIS_LIMITS_SUBMITS_PER_MINUTE", String.valueOf(SUBMITS_PER_MINUTE));
        // a lost worker is noticed within seconds here, not the production minute
        env.put("AEGIS_WORKER_HEARTBEAT_INTERVAL", "1s");
        env.put("AEGIS_RECONCILER_INTERVAL", "1s");
        env.put("AEGIS_RECONCILER_HEARTBEAT_TIMEOUT", "5s");
        return builder.start();
    }

    /** Kills a service at once, as a crash or an evicted pod would: no shutdown hooks run. */
    void kill(String service) throws InterruptedException {
        Process process = processes.get(service);
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    /** Starts a service again with the same settings and waits until it is ready. */
    void restart(String service) throws IOException {
        processes.put(service, launch(service, KafkaBroker.shared().bootstrapServers(),
                Files.readString(home.resolve("token-secret")).strip()));
        awaitReady(service, Duration.ofSeconds(120));
    }

    private String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    private void awaitReady(String service, Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url(service) + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!processes.get(service).isAlive()) {
                throw new IllegalStateException(service + " exited at start:\n" + logTail(service));
            }
            try {
                HttpResponse<String> answer = http.send(probe, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    return;
                }
                last = answer.statusCode() + " " + answer.body();
            } catch (IOException notYet) {
                last = notYet.toString(); // not listening yet, or no answer in time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        throw new IllegalStateException(service + " was not ready within " + timeout + "; its last readiness answer: "
                + last + "\n" + logTail(service));
    }

    String logTail(String service) {
        try {
            List<String> lines = Files.readAllLines(home.resolve("logs").resolve(service + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        List<String> reversed = new ArrayList<>(processes.keySet());
        java.util.Collections.reverse(reversed);
        for (String service : reversed) {
            processes.get(service).destroy();
        }
        for (String service : reversed) {
            ChildProcesses.stop(processes.get(service));
        }
        redis.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
