package io.aegis.worker.service;

import io.quarkus.logging.Log;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Files and whole folders: scratch space, checkpoints and replaced database builds. */
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

    /** The lines of a file (a batch's tabular results), counted without holding a line. */
    static long lines(Path file) throws IOException {
        long count = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    private FileTrees() {
    }
}
