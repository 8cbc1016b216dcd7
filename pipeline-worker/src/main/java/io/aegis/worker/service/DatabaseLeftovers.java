package io.aegis.worker.service;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Removes what crashes left behind: half-built and replaced builds, half-written registrations and
 * sources kept aside, old failure records. Only old ones, a day or more: replicas sharing the folders
 * may be building or registering right now.
 */
@ApplicationScoped
public class DatabaseLeftovers {

    private static final Duration AGE = Duration.ofHours(24);

    private final DatabaseFolders folders;

    public DatabaseLeftovers(DatabaseFolders folders) {
        this.folders = folders;
    }

    void remove() {
        Instant before = Instant.now().minus(AGE);
        removeOld(folders.builds(), DatabaseFolders::isBuildWork, before);
        removeOld(folders.sourceDir(), DatabaseFolders::isSourceWork, before);
        removeOld(folders.failures(), FailureRecords::isRecord, before);
    }

    private static void removeOld(Path dir, Predicate<String> leftover, Instant before) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.list(dir)) {
            paths.filter(p -> leftover.test(p.getFileName().toString()))
                    .filter(p -> DatabaseFolders.modifiedBefore(p, before))
                    .forEach(FileTrees::deleteQuietly);
        } catch (IOException e) {
            Log.warnf("Cannot look for leftovers in %s: %s", dir, e.getMessage());
        }
    }
}
