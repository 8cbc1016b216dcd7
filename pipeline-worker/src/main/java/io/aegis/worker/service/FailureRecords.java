package io.aegis.worker.service;

import io.aegis.worker.domain.FailureRecord;
import io.aegis.worker.domain.FastaSummary;
import io.aegis.worker.domain.SourceStamp;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The failed builds, one {@link FailureRecord} per name in the store
 * ({@code databases/.failed/<name>.properties}), so every replica lists a failure, not only the one
 * whose build failed. Each is written aside and renamed, so a reader never sees half of one.
 */
@ApplicationScoped
public class FailureRecords {

    private static final String SUFFIX = ".properties";

    private final DatabaseFolders folders;

    public FailureRecords(DatabaseFolders folders) {
        this.folders = folders;
    }

    /**
     * @param summary what the source holds, when it was read; else null
     */
    void record(String name, Path source, FastaSummary summary, String error) {
        FailureRecord failure = new FailureRecord(error, Instant.now(),
                // no source to compare with: the record stands for the name
                SourceStamp.find(source).orElse(null), summary);
        Path dir = folders.failures();
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, "." + name, ".tmp");
            try (var out = Files.newBufferedWriter(temp)) {
                failure.toProperties().store(out, "Aegis database " + name + ": the last build failed");
            }
            Files.move(temp, file(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Log.warnf("Cannot record the failure of database %s: %s", name, e.getMessage());
        }
    }

    void clear(String name) {
        try {
            Files.deleteIfExists(file(name));
        } catch (IOException e) {
            Log.warnf("Cannot remove the failure record of database %s: %s", name, e.getMessage());
        }
    }

    /** The failure of a name, unless it is no longer listed. */
    Optional<FailureRecord> find(String name) {
        Path file = file(name);
        try (var in = Files.newBufferedReader(file)) {
            Properties p = new Properties();
            p.load(in);
            FailureRecord failure = FailureRecord.read(p);
            return failure.expired(Instant.now()) ? Optional.empty() : Optional.of(failure);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            Log.warnf("Unreadable failure record %s: %s", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** The names with a failure record, listed or not. */
    Set<String> names() {
        return DatabaseFolders.namesIn(folders.failures(), SUFFIX);
    }

    /** Whether a file of the failure records' folder is a record or one being written. */
    static boolean isRecord(String file) {
        return file.endsWith(SUFFIX) || file.endsWith(".tmp");
    }

    private Path file(String name) {
        return folders.failures().resolve(name + SUFFIX);
    }
}
