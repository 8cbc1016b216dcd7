package io.aegis.testing;

import io.aegis.events.TopicDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Apache Kafka broker (KRaft mode) in a child JVM, on free loopback ports,
 * with the Aegis topics created up front from their one definition ({@link TopicDefinition}), each
 * with one partition: the tests read whole topics, and a partition's first record costs a fetch
 * round of its own. Runs from the test classpath, which holds the broker's
 * jars; one broker serves a whole test JVM and stops with it.
 */
public final class KafkaBroker implements AutoCloseable {

    private static KafkaBroker shared;

    private final Path config;
    private final int port;
    private final String bootstrapServers;
    private final Path logFile;
    private volatile Process process;

    private KafkaBroker(Process process, Path config, int port, Path logFile) {
        this.process = process;
        this.config = config;
        this.port = port;
        this.bootstrapServers = "127.0.0.1:" + port;
        this.logFile = logFile;
    }

    /** The broker of this JVM, started on first use. */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            shared = start(Path.of(System.getProperty("java.io.tmpdir")));
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "kafka-broker-stop"));
        }
        return shared;
    }

    public static KafkaBroker start(Path workDir) {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(workDir), "kafka-");
            List<Integer> ports = Ports.free(2);
            int brokerPort = ports.get(0);
            int controllerPort = ports.get(1);
            Path config = dir.resolve("server.properties");
            Files.writeString(config, serverProperties(dir.resolve("data"), brokerPort, controllerPort));
            Path log = dir.resolve("broker.log");

            run(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                    "-c", config.toString()), log);
            Process process = java(List.of("kafka.Kafka", config.toString()), log);
            KafkaBroker broker = new KafkaBroker(process, config, brokerPort, log);
            broker.awaitPort(brokerPort, Duration.ofSeconds(60));
            broker.createTopics(TopicDefinition.all());
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start a Kafka broker", e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
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
     * Stops the broker and starts it again on the same port and data once {@code whileDown} has run,
     * the way an outage looks to the services: connections drop, then the same cluster is back.
     */
    public synchronized void outage(Runnable whileDown) {
        close();
        try {
            whileDown.run();
        } finally {
            try {
                process = java(List.of("kafka.Kafka", config.toString()), logFile);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot restart the Kafka broker", e);
            }
            awaitPort(port, Duration.ofSeconds(60));
        }
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
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
        var command = new java.util.ArrayList<>(List.of(java, "-Xms128m", "-Xmx512m",
                "-cp", System.getProperty("java.class.path")));
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
