package io.aegis.bench;

import io.aegis.events.TopicDefinition;
import io.aegis.stack.LocalStack;
import io.aegis.testing.Folders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;

/**
 * The benchmarks' folder, {@code .aegis/bench} in the repository: the state of their stack (store,
 * logs, broker), their data and their reports. Your own stack's state and history are elsewhere and
 * stay untouched.
 *
 * @param repo the repository, where the services' jars and the examples are
 * @param root the benchmarks' folder
 */
record BenchHome(Path repo, Path root) {

    /** The benchmarks' own database, emptied at each run. */
    static final String DATABASE = "aegis_bench";

    static BenchHome of(Path repo) {
        return new BenchHome(repo, repo.resolve(".aegis/bench"));
    }

    Path dir(String name) throws IOException {
        return Files.createDirectories(root.resolve(name));
    }

    /** Removes what an earlier run left in these folders. */
    void fresh(String... names) throws IOException {
        for (String name : names) {
            Folders.delete(root.resolve(name));
        }
    }

    /**
     * A stack of the benchmarks' own: database {@value #DATABASE}, a broker of its own with the
     * deployments' partitions, users alice, bob and bench. Retention is stretched to ten years so the
     * sweeper leaves a seeded year of history alone; one user submits tens of thousands of jobs, so
     * the per-user submit rate and the cap on unfinished jobs are off.
     */
    LocalStack.Builder stack() {
        return LocalStack.builder(repo, root)
                .name("bench")
                .kafkaPartitions(TopicDefinition.defaultPartitions())
                .database(DATABASE)
                .users(List.of("alice", "bob", "bench"))
                .admins(List.of("alice"))
                .setting("AEGIS_RETENTION_TTL", "87600h")
                .setting("AEGIS_LIMITS_SUBMITS_PER_MINUTE", "0")
                .setting("AEGIS_QUEUE_ACTIVE_PER_USER", "0")
                .progress(Say::progress);
    }

    /** Keycloak's distribution, unpacked by this module's build. */
    Path keycloak() throws IOException {
        Path unpacked = repo.resolve("bench/target/keycloak");
        try (Stream<Path> found = Files.exists(unpacked) ? Files.list(unpacked) : Stream.empty()) {
            return found.filter(dir -> dir.getFileName().toString().startsWith("keycloak-")
                            && Files.isExecutable(dir.resolve("bin/kc.sh")))
                    .findFirst().orElseThrow(() -> new IllegalStateException(
                            "No Keycloak in " + unpacked + ": build the benchmarks (mvn package -pl bench -am)"));
        }
    }

    /** Writes a report beside the earlier ones ({@code report-<time>.txt}) and as {@code report.txt}; the first. */
    static Path report(Path dir, String text) throws IOException {
        Path report = dir.resolve("report-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".txt");
        Files.writeString(report, text);
        Files.writeString(dir.resolve("report.txt"), text);
        return report;
    }
}
