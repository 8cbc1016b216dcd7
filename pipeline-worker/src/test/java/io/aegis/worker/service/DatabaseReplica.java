package io.aegis.worker.service;

import io.aegis.events.StoreLayout;
import io.aegis.worker.domain.DatabaseEntry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/** The database classes as one replica has them, on a test's source folder and store. */
final class DatabaseReplica implements AutoCloseable {

    static final String PROTEINS = ">p1 first\nMKVLAAGIVGLLLAQSWRTEEP\n>p2\nMSTNPKPQRKTKRNTNRRPQDVKFPGG\n";
    static final String NUCLEOTIDES = ">n1\nACGTACGTTAGCATCGATCGATCGGCTA\n>n2\nTTGACCANNGTACGATCGA\n>n3\nACGU\n";

    final DatabaseRegistry registry;
    final DatabaseUploads uploads;
    private final DatabaseBuilds builds;

    DatabaseReplica(Path sources, StoreLayout store, ToolExecutor makeblastdb, long maxUploadBytes) {
        DatabaseFolders folders = new DatabaseFolders(sources, store);
        FailureRecords failures = new FailureRecords(folders);
        DatabaseBuilder builder = new DatabaseBuilder(folders, makeblastdb);
        builds = new DatabaseBuilds(folders, builder, failures);
        registry = new DatabaseRegistry(folders, builder, builds, failures, new DatabaseLeftovers(folders));
        uploads = new DatabaseUploads(folders, builds, failures, maxUploadBytes);
    }

    DatabaseEntry register(String name, String fasta, boolean replace) {
        return uploads.register(name, new ByteArrayInputStream(fasta.getBytes(StandardCharsets.UTF_8)), replace);
    }

    DatabaseEntry untilBuilt(String name) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> registry.status(name).orElseThrow(), e -> e.state() != DatabaseEntry.State.BUILDING);
    }

    /** Stops building, as a shutdown does. */
    @Override
    public void close() {
        builds.close();
    }

    /** Every file of a folder, hidden ones too; none when there is no folder. */
    static List<String> files(Path dir) {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The folders of built (or half-built) databases in the store. */
    static List<String> builtFolders(Path storeRoot) {
        return files(storeRoot.resolve("databases")).stream().filter(f -> !f.equals(".failed")).toList();
    }
}
