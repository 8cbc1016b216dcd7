package io.aegis.artifact.rest;

import io.aegis.events.StoreLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * Finds an artifact's file from the location its row records, and only inside its own job's folder:
 * the location must resolve (dot segments removed) under the folder, stay there once links are
 * followed, and name a regular file. Anything else is as good as missing. Blocking.
 */
final class JobFiles {

    static Optional<Path> resolve(StoreLayout store, UUID jobId, String location) {
        if (location == null || location.isEmpty() || location.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        Path dir = store.jobDir(jobId).toAbsolutePath().normalize();
        try {
            Path file = dir.resolve(location).normalize();
            if (!file.startsWith(dir) || file.equals(dir)) {
                return Optional.empty();
            }
            Path real = file.toRealPath();
            if (!real.startsWith(dir.toRealPath()) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            return Optional.of(real);
        } catch (IOException | RuntimeException e) {
            // gone, unreadable, or a location that is no path at all
            return Optional.empty();
        }
    }

    private JobFiles() {
    }
}
