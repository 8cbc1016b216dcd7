package io.aegis.worker.service;

import io.quarkus.logging.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing whole folders: scratch space and replaced database builds. */
final class FileTrees {

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Removes a file or folder (none when null) where failing to is no reason to stop: logged, left for later. */
    static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            delete(path);
        } catch (IOException e) {
            Log.warnf("Cannot remove %s: %s", path, e.getMessage());
        }
    }

    private FileTrees() {
    }
}
