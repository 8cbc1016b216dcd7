package io.aegis.stack;

import io.aegis.events.TopicDefinition;
import io.aegis.stack.ServiceEnvironment.Database;
import io.aegis.testing.ChildProcesses;
import io.aegis.testing.Folders;
import io.aegis.testing.KafkaBroker;
import io.aegis.testing.KeycloakServer;
import io.aegis.testing.Ports;
import io.aegis.testing.RedisServer;
import io.aegis.testing.TcpRelay;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Aegis services as real processes (their runnable jars, prod profile) on free loopback ports,
 * with what they need beside them: a Kafka broker (one given, or one of the stack's own), a Redis of
 * the stack's own with a password, the local PostgreSQL, optionally a Keycloak as the gateway's
 * OpenID Connect provider, and a store and logs in the stack's folder. Each service's environment is
 * {@link ServiceEnvironment}'s. The end-to-end suite and the benchmarks both start theirs here;
 * {@code ./aegis up} runs the developer's stack with the script's own copy of that environment.
 * <p>
 * The stack writes its token secret where {@code ./aegis token} looks for it ({@code token-secret}
 * in its folder, mode 600), so {@link #token(String)} signs users in with the script, as a user of
 * the stack would. It stops with the JVM if it was not closed before.
 */
public final class LocalStack implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final String REALM = "aegis";

    private final Builder options;
    private final Path home;
    private final Map<Service, Process> processes = new EnumMap<>(Service.class);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread stopAtExit = new Thread(this::close, "local-stack-stop");
    private KafkaBroker ownKafka;
    private RedisServer redis;
    private KeycloakServer keycloak;
    private TcpRelay databaseRelay;
    private ServiceEnvironment environment;

    private LocalStack(Builder options) {
        this.options = options;
        this.home = options.home;
    }

    public static Builder builder(Path repo, Path home) {
        return new Builder(repo.toAbsolutePath().normalize(), home.toAbsolutePath().normalize());
    }

    /** What a stack runs and how; {@link #start()} starts it. */
    public static final class Builder {

        private final Path repo;
        private final Path home;
        private String name = "local";
        private String kafka;
        private int kafkaPartitions = 1;
        private String database = "aegis";
        private boolean emptyDatabase = true;
        private boolean databaseRelay;
        private List<String> users = List.of("alice", "bob");
        private List<String> admins = List.of();
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final Set<Service> services = new LinkedHashSet<>(List.of(Service.values()));
        private List<String> jvm = List.of("-Xmx384m", "-XX:+UseSerialGC");
        private final Map<Service, List<String>> jvmOf = new EnumMap<>(Service.class);
        private Path databasesSource;
        private Path keycloakHome;
        private Consumer<String> progress = line -> { };

        private Builder(Path repo, Path home) {
            this.repo = repo;
            this.home = home;
            this.databasesSource = repo.resolve("examples/databases");
        }

        /** The stack's name: log-stream-service's replica is named after it. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** A broker someone else runs (such as the suite's shared one); otherwise the stack starts its own. */
        public Builder kafka(String bootstrapServers) {
            this.kafka = bootstrapServers;
            return this;
        }

        /**
         * The partitions of each topic of the stack's own broker: 1 unless set (the deployments'
         * default is {@link TopicDefinition#defaultPartitions()}).
         */
        public Builder kafkaPartitions(int partitions) {
            this.kafkaPartitions = partitions;
            return this;
        }

        /** The PostgreSQL database of job-service and artifact-service; emptied at start unless told otherwise. */
        public Builder database(String name) {
            this.database = name;
            return this;
        }

        public Builder keepDatabase() {
            this.emptyDatabase = false;
            return this;
        }

        /**
         * PostgreSQL reached through a {@link TcpRelay} of the stack's own ({@link #databaseRelay()}):
         * cutting it takes the database away from this stack's services alone, as a restart or a stop
         * of the server would, while the machine's PostgreSQL, which other suites share, runs on.
         */
        public Builder databaseRelay() {
            this.databaseRelay = true;
            return this;
        }

        /** The users the gateway knows. */
        public Builder users(List<String> users) {
            this.users = List.copyOf(users);
            return this;
        }

        /** The users who may register databases. */
        public Builder admins(List<String> admins) {
            this.admins = List.copyOf(admins);
            return this;
        }

        /** An environment variable every service gets (a limit, an interval, a setting of one service). */
        public Builder setting(String key, String value) {
            settings.put(key, value);
            return this;
        }

        /** Only these services start (their ports are chosen all the same, for a stand-in to take). */
        public Builder services(Service... services) {
            this.services.clear();
            this.services.addAll(List.of(services));
            return this;
        }

        /** The JVM options of every service: {@code -Xmx384m -XX:+UseSerialGC} unless set, as {@code ./aegis up}'s. */
        public Builder jvm(String... options) {
            this.jvm = List.of(options);
            return this;
        }

        /** The JVM options of one service, instead of every service's. */
        public Builder jvm(Service service, List<String> options) {
            jvmOf.put(service, List.copyOf(options));
            return this;
        }

        /** The folder of FASTA files the worker builds its databases from: the examples unless set. */
        public Builder databasesSource(Path folder) {
            this.databasesSource = folder;
            return this;
        }

        /**
         * A Keycloak from the unpacked distribution {@code home} with the local stack's realm
         * ({@code deploy/keycloak/aegis-realm.json}), whose tokens the gateway takes beside its own.
         */
        public Builder provider(Path keycloakHome) {
            this.keycloakHome = keycloakHome;
            return this;
        }

        /** Where the stack says what it is doing, a line at a time; nowhere unless set. */
        public Builder progress(Consumer<String> progress) {
            this.progress = progress;
            return this;
        }

        /** Starts everything and waits until every service is ready; stops what started if one is not. */
        public LocalStack start() throws IOException {
            LocalStack stack = new LocalStack(this);
            Runtime.getRuntime().addShutdownHook(stack.stopAtExit);
            try {
                stack.launch();
                return stack;
            } catch (RuntimeException | IOException e) {
                stack.close();
                throw e;
            }
        }
    }

    private void launch() throws IOException {
        Files.createDirectories(home.resolve("logs"));
        Files.createDirectories(store());
        Database database = Database.fromEnvironment(options.database);
        if (options.emptyDatabase && (options.services.contains(Service.JOB) || options.services.contains(Service.ARTIFACT))) {
            Psql.empty(database, "");
        }
        if (options.databaseRelay) {
            databaseRelay = TcpRelay.to(database.host(), database.port());
            database = new Database("127.0.0.1", databaseRelay.port(), database.name(), database.user(),
                    database.password());
            options.progress.accept("    up  postgresql relay  :" + databaseRelay.port() + " -> " + database.name());
        }
        URI issuer = null;
        if (options.keycloakHome != null) {
            options.progress.accept("Starting Keycloak (realm aegis: alice, bob)");
            keycloak = KeycloakServer.start(options.keycloakHome, options.repo.resolve("deploy/keycloak/aegis-realm.json"));
            issuer = keycloak.issuer(REALM);
            options.progress.accept("    up  keycloak  " + issuer);
        }
        String kafka = options.kafka;
        if (kafka == null) {
            options.progress.accept("Starting Kafka (" + options.kafkaPartitions + " partitions a topic)");
            // fresh data each time: it holds only what the stack's last run left
            Folders.delete(home.resolve("kafka"));
            ownKafka = KafkaBroker.start(home.resolve("kafka"));
            kafka = ownKafka.bootstrapServers();
            partition(kafka, options.kafkaPartitions);
            options.progress.accept("    up  kafka  " + kafka);
        }
        String redisUrl = null;
        if (options.services.contains(Service.GATEWAY) || options.services.contains(Service.LOG_STREAM)) {
            redis = RedisServer.start();
            redisUrl = redis.url();
            options.progress.accept("    up  redis  :" + redis.port() + " (with a password of its own)");
        }
        int count = Service.values().length;
        List<Integer> free = Ports.free(2 * count);
        Map<Service, Integer> ports = new EnumMap<>(Service.class);
        Map<Service, Integer> managementPorts = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            ports.put(service, free.get(service.ordinal()));
            managementPorts.put(service, free.get(count + service.ordinal()));
        }
        environment = new ServiceEnvironment(ports, kafka, redisUrl, database, newKey(), tokenSecret(), issuer,
                store(), options.databasesSource, options.users, options.admins, options.name, options.settings,
                managementPorts);

        options.progress.accept("Starting " + options.services.stream().map(Service::id).collect(Collectors.joining(", ")));
        for (Service service : options.services) {
            processes.put(service, launch(service, Map.of()));
        }
        for (Service service : options.services) {
            awaitReady(service);
            options.progress.accept("    up  " + service + "  :" + port(service));
        }
    }

    /** The secret of the gateway's own tokens, made once and kept where {@code ./aegis token} reads it. */
    private String tokenSecret() throws IOException {
        Path file = home.resolve("token-secret");
        if (!Files.exists(file) || Files.size(file) == 0) {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, newKey() + "\n");
        }
        return Files.readString(file).strip();
    }

    /** Gives every topic of the broker at least {@code partitions} partitions. */
    private static void partition(String kafka, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            List<String> names = TopicDefinition.all().stream().map(TopicDefinition::name).toList();
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            Map<String, NewPartitions> more = topics.values().stream()
                    .filter(topic -> topic.partitions().size() < partitions)
                    .collect(Collectors.toMap(TopicDescription::name, topic -> NewPartitions.increaseTo(partitions)));
            if (!more.isEmpty()) {
                admin.createPartitions(more).all().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot give the topics " + partitions + " partitions on " + kafka, e);
        }
    }

    private Process launch(Service service, Map<String, String> extra) throws IOException {
        Path jar = service.jar(options.repo);
        if (!Files.exists(jar)) {
            throw new IllegalStateException("No runnable jar at " + jar + "; build the services first (mvn package)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options.jvmOf.getOrDefault(service, options.jvm));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(options.repo.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(service).toFile()));
        Map<String, String> env = builder.environment();
        // the stack's settings alone: none of the caller's own (a developer's AEGIS_DB_NAME, say)
        env.keySet().removeIf(key -> key.startsWith("AEGIS_") || key.startsWith("KAFKA_") || key.startsWith("QUARKUS_"));
        env.putAll(environment.of(service));
        env.putAll(extra);
        return builder.start();
    }

    public URI gateway() {
        return URI.create(url(Service.GATEWAY));
    }

    public String url(Service service) {
        return environment.url(service);
    }

    /** Where {@code service}'s Prometheus metrics are scraped. */
    public String metricsUrl(Service service) {
        return environment.metricsUrl(service);
    }

    public int port(Service service) {
        return environment.port(service);
    }

    /** The environment the services start with. */
    public ServiceEnvironment environment() {
        return environment;
    }

    public Path home() {
        return home;
    }

    public Path store() {
        return home.resolve("store");
    }

    public Path log(Service service) {
        return home.resolve("logs").resolve(service.id() + ".log");
    }

    /** The broker's bootstrap servers. */
    public String kafka() {
        return environment.kafka();
    }

    /** The stack's Redis (it runs one when the gateway or log-stream-service does). */
    public RedisServer redis() {
        if (redis == null) {
            throw new IllegalStateException("This stack runs no Redis");
        }
        return redis;
    }

    /** The relay the services reach PostgreSQL through, for a test to cut and restore; see {@link Builder#databaseRelay()}. */
    public TcpRelay databaseRelay() {
        if (databaseRelay == null) {
            throw new IllegalStateException("This stack reaches PostgreSQL directly, through no relay");
        }
        return databaseRelay;
    }

    /** Kills the stack's own Kafka broker at once ({@code kill -9}): no shutdown, no flush, as a crashed broker. */
    public void killKafka() {
        ownKafka().kill();
        options.progress.accept("    killed kafka");
    }

    /** Starts the stack's own broker again on its port and data, and waits until it listens. */
    public void restartKafka() {
        ownKafka().startAgain();
        options.progress.accept("    up  kafka  " + ownKafka.bootstrapServers() + " (again)");
    }

    private KafkaBroker ownKafka() {
        if (ownKafka == null) {
            throw new IllegalStateException("This stack runs no broker of its own");
        }
        return ownKafka;
    }

    /** The key the services vouch for their callers with: this stack's own. */
    public String internalKey() {
        return environment.internalKey();
    }

    /** A bearer token of the gateway's own for {@code user}, from {@code ./aegis token <user>} with this stack's secret. */
    public String token(String user) {
        return tokens(List.of(user)).getFirst();
    }

    /** Bearer tokens of the gateway's own for {@code users}, in their order, from one {@code ./aegis token <user>...}. */
    public List<String> tokens(List<String> users) {
        List<String> command = new ArrayList<>(List.of(options.repo.resolve("aegis").toString(), "token"));
        command.addAll(users);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("AEGIS_HOME", home.toString());
        builder.environment().put("AEGIS_IDENTITY_USERS", String.join(",", options.users));
        // the gateway's own tokens; the provider's are providerToken's
        builder.environment().put("AEGIS_PROVIDER", "0");
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            List<String> tokens = new String(process.getInputStream().readAllBytes()).strip().lines().toList();
            if (process.waitFor() != 0 || tokens.size() != users.size()) {
                throw new IllegalStateException("./aegis token " + String.join(" ", users) + " failed");
            }
            return tokens;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An access token of the stack's provider for a user of its realm, signed in with their password ({@code <user>-password}). */
    public String providerToken(String user) {
        if (keycloak == null) {
            throw new IllegalStateException("This stack runs no provider");
        }
        return keycloak.token(REALM, "aegis", user, user + "-password");
    }

    /** Kills a service at once, as a crash or an evicted pod would: no shutdown hooks run. */
    public void kill(Service service) throws InterruptedException {
        Process process = processes.remove(service);
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** Stops a service the way an orchestrator does: asked first, killed if it does not stop. */
    public void stop(Service service) {
        Process process = processes.remove(service);
        if (process != null) {
            ChildProcesses.stop(process);
            options.progress.accept("    stopped " + service);
        }
    }

    /** Starts a service (again) with the stack's settings and waits until it is ready. */
    public void restart(Service service) throws IOException {
        restart(service, Map.of());
    }

    /** Starts a service (again) with the stack's settings and {@code extra} over them, and waits until it is ready. */
    public void restart(Service service, Map<String, String> extra) throws IOException {
        stop(service);
        processes.put(service, launch(service, extra));
        awaitReady(service);
    }

    /** The processes of the stack by name (the services running, kafka and redis where the stack runs them). */
    public Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        processes.forEach((service, process) -> {
            if (process.isAlive()) {
                pids.put(service.id(), process.pid());
            }
        });
        if (ownKafka != null) {
            pids.put("kafka", ownKafka.pid());
        }
        if (redis != null) {
            pids.put("redis", redis.pid());
        }
        return pids;
    }

    private void awaitReady(Service service) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url(service) + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
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
        throw new IllegalStateException(service + " was not ready within " + READY_TIMEOUT + "; its last readiness answer: "
                + last + "\n" + logTail(service));
    }

    /** The last lines of a service's log. */
    public String logTail(Service service) {
        try {
            List<String> lines = Files.readAllLines(log(service));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the services (the gateway first), then the provider, Redis and the stack's own broker. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (Thread.currentThread() != stopAtExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopAtExit);
            } catch (IllegalStateException exiting) {
                // the JVM is already stopping; the hook runs or has run
            }
        }
        List<Service> reversed = new ArrayList<>(processes.keySet()).reversed();
        for (Service service : reversed) {
            processes.get(service).destroy();
        }
        for (Service service : reversed) {
            ChildProcesses.stop(processes.get(service));
        }
        processes.clear();
        if (keycloak != null) {
            keycloak.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (ownKafka != null) {
            ownKafka.close();
        }
        if (databaseRelay != null) {
            databaseRelay.close();
        }
    }

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return HexFormat.of().formatHex(key);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
