package io.aegis.artifact.service;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file whole or not at all: into {@code <name>.part} beside it (truncated first, so a
 * half-written one left by a crash is simply overwritten), flushed to disk, then moved over the
 * target atomically. Readers see the old file or the new one, never a part. Blocking I/O.
 */
final class AtomicFiles {

    static final String PART = ".part";

    @FunctionalInterface
    interface Body {
        void write(OutputStream out) throws IOException;
    }

    static Path write(Path target, Body body) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling(target.getFileName() + PART);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            body.write(out);
            out.flush();
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    static boolean isPart(Path file) {
        return file.getFileName().toString().endsWith(PART);
    }

    private AtomicFiles() {
    }
}
