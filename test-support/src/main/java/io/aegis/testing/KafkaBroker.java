package io.aegis.testing;

import io.aegis.events.TopicDefinition;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real single-node Apache Kafka broker (KRaft mode) on free loopback ports, with the Aegis topics
 * created from their one definition ({@link TopicDefinition}), each with one partition: the tests
 * read whole topics, and a partition's first record costs a fetch round of its own. It runs from
 * the test classpath, which holds the broker's jars.
 *
 * <p>One broker serves each module of a build when {@value #SHARED_HOME} names a folder
 * ({@code ./aegis test} does): the module's first test JVM starts it in a subfolder named after the
 * module, a later one (failsafe's after surefire's) finds it, and the launcher stops them all after
 * the build. Modules built side by side ({@code mvn -T}) thus never share topics. Each JVM that takes
 * a broker over empties the Aegis topics first (deleted and created again, their consumer groups'
 * offsets with them), so its tests never see an earlier JVM's records.
 * Without the variable (a test run from an IDE, or {@code mvn} by hand), each JVM starts a broker of
 * its own and stops it on exit.
 */
public final class KafkaBroker implements AutoCloseable {

    /** The environment variable naming the build's broker folder. */
    public static final String SHARED_HOME = "AEGIS_TEST_KAFKA_HOME";

    private static KafkaBroker shared;

    private final Path config;
    private final int port;
    private final String bootstrapServers;
    private final Path logFile;
    private final Path pidFile;
    private volatile ProcessHandle process;

    private KafkaBroker(ProcessHandle process, Path config, int port, Path logFile, Path pidFile) {
        this.process = process;
        this.config = config;
        this.port = port;
        this.bootstrapServers = "127.0.0.1:" + port;
        this.logFile = logFile;
        this.pidFile = pidFile;
    }

    /**
     * The broker of this JVM: its module's in the build's folder when {@value #SHARED_HOME} is set
     * (the module is the working directory surefire and failsafe run in), else one started on first use.
     */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            String home = System.getenv(SHARED_HOME);
            if (home == null || home.isBlank()) {
                shared = start(Path.of(System.getProperty("java.io.tmpdir")));
                Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "kafka-broker-stop"));
            } else {
                shared = ofBuild(moduleHome(home));
            }
        }
        return shared;
    }

    /** The folder of this module's broker in the build's folder {@code home}. */
    static Path moduleHome(String home) {
        return Path.of(home).resolve(Path.of("").toAbsolutePath().getFileName());
    }

    public static KafkaBroker start(Path workDir) {
        try {
            return startIn(Files.createTempDirectory(Files.createDirectories(workDir), "kafka-"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start a Kafka broker", e);
        }
    }

    private static KafkaBroker startIn(Path dir) throws IOException {
        List<Integer> ports = Ports.free(2);
        int brokerPort = ports.get(0);
        Path config = dir.resolve("server.properties");
        Files.writeString(config, serverProperties(dir.resolve("data"), brokerPort, ports.get(1)));
        Path log = dir.resolve("broker.log");
        Path pidFile = dir.resolve("broker.pid");

        run(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                "-c", config.toString()), log);
        KafkaBroker broker = new KafkaBroker(java(List.of("kafka.Kafka", config.toString()), log).toHandle(), config,
                brokerPort, log, pidFile);
        broker.recordPid();
        broker.awaitPort(brokerPort, Duration.ofSeconds(60));
        broker.createTopics(TopicDefinition.all());
        return broker;
    }

    /**
     * The build's broker in {@code home}: found when an earlier JVM started it and it still listens,
     * started otherwise; its Aegis topics emptied either way. A file lock keeps JVMs of a parallel
     * build from starting two.
     */
    static KafkaBroker ofBuild(Path home) {
        try {
            Files.createDirectories(home);
            try (FileChannel channel = FileChannel.open(home.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                KafkaBroker broker = running(home).orElse(null);
                if (broker == null) {
                    Folders.delete(home.resolve("broker"));
                    return startIn(Files.createDirectories(home.resolve("broker")));
                }
                broker.recreateTopics(TopicDefinition.all());
                return broker;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot take the build's Kafka broker in " + home, e);
        }
    }

    private static Optional<KafkaBroker> running(Path home) throws IOException {
        Path dir = home.resolve("broker");
        Path pidFile = dir.resolve("broker.pid");
        Path config = dir.resolve("server.properties");
        if (!Files.isRegularFile(pidFile) || !Files.isRegularFile(config)) {
            return Optional.empty();
        }
        Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()))
                .filter(ProcessHandle::isAlive);
        int port = listenerPort(Files.readString(config));
        if (process.isEmpty() || !Ports.listening("127.0.0.1", port)) {
            return Optional.empty();
        }
        return Optional.of(new KafkaBroker(process.get(), config, port, dir.resolve("broker.log"), pidFile));
    }

    /** The broker's port in a configuration {@link #serverProperties} wrote. */
    static int listenerPort(String serverProperties) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(serverProperties));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String listener = p.getProperty("advertised.listeners", "");
        return Integer.parseInt(listener.substring(listener.lastIndexOf(':') + 1));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The broker's process, for a benchmark that counts the CPU time of what it runs. */
    public long pid() {
        return process.pid();
    }

    public void createTopics(List<TopicDefinition> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            var missing = topics.stream().filter(t -> !existing.contains(t.name()))
                    .map(t -> new NewTopic(t.name(), 1, (short) 1).configs(t.configs())).toList();
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create topics on " + bootstrapServers + "; see " + logFile, e);
        }
    }

    /**
     * Empties the topics: deletes them and creates them again, which also drops the offsets their
     * consumer groups committed. Creating a topic right after its deletion may be refused while the
     * deletion completes; that is tried again.
     */
    void recreateTopics(List<TopicDefinition> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            admin.deleteTopics(topics.stream().map(TopicDefinition::name).filter(existing::contains).toList())
                    .all().get(30, TimeUnit.SECONDS);
            Instant deadline = Instant.now().plusSeconds(30);
            while (true) {
                try {
                    admin.createTopics(topics.stream()
                            .map(t -> new NewTopic(t.name(), 1, (short) 1).configs(t.configs())).toList())
                            .all().get(30, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException) || Instant.now().isAfter(deadline)) {
                        throw e;
                    }
                    sleep(100);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot empty the topics on " + bootstrapServers + "; see " + logFile, e);
        }
    }

    /**
     * Stops the broker and starts it again on the same port and data once {@code whileDown} has run,
     * the way an outage looks to the services: connections drop, then the same cluster is back.
     */
    public synchronized void outage(Runnable whileDown) {
        close();
        try {
            whileDown.run();
        } finally {
            startAgain();
        }
    }

    /**
     * Kills the broker at once, as {@code kill -9} would: no controlled shutdown, nothing flushed,
     * its clients' connections reset. {@link #startAgain()} brings it back.
     */
    public synchronized void kill() {
        process.destroyForcibly();
        process.onExit().join();
    }

    /**
     * Starts a stopped or killed broker again on the same port and data (recovering its log as a
     * broker does after a crash) and waits until it listens.
     */
    public synchronized void startAgain() {
        if (process.isAlive()) {
            throw new IllegalStateException("The Kafka broker still runs (pid " + process.pid() + ")");
        }
        try {
            process = java(List.of("kafka.Kafka", config.toString()), logFile).toHandle();
            recordPid();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot restart the Kafka broker", e);
        }
        awaitPort(port, Duration.ofSeconds(60));
    }

    /** Stops the broker; the build's shared broker is stopped by whoever set {@value #SHARED_HOME}. */
    @Override
    public void close() {
        ChildProcesses.stop(process);
    }

    /** Where the broker's process number is kept, for the next JVM and for the launcher that stops it. */
    private void recordPid() throws IOException {
        Files.writeString(pidFile, process.pid() + "\n");
    }

    static String serverProperties(Path dataDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dataDir.toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        StringBuilder out = new StringBuilder();
        p.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out.toString();
    }

    private static void run(List<String> args, Path log) throws IOException {
        Process process = java(args, log);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("Kafka " + args.get(0) + " failed; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Process java(List<String> args, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new java.util.ArrayList<>(List.of(java));
        command.addAll(TestJvm.with("-Xms128m", "-Xmx512m", "-cp", System.getProperty("java.class.path")));
        command.addAll(args);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    private void awaitPort(int port, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The Kafka broker exited; see " + logFile);
            }
            if (Ports.listening("127.0.0.1", port)) {
                return;
            }
            sleep(100);
        }
        close();
        throw new IllegalStateException("The Kafka broker did not listen within " + timeout + "; see " + logFile);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
