package io.aegis.artifact.service;

import io.aegis.artifact.domain.LogChunks;
import io.aegis.artifact.domain.Manifest;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a job's log chunks from its spool into {@code artifacts/}: each chunk goes to its
 * {@code .part} file first, and only once the whole spool has been read are they moved into place
 * (atomically, one by one); a failure part-way leaves no chunk of that attempt behind. Blocking I/O.
 */
final class LogChunksPart {

    private LogChunksPart() {
    }

    /** The chunks written, described; none when the spool holds no log line. */
    static List<Manifest.FileEntry> write(Path spool, Path artifacts) throws IOException {
        Files.createDirectories(artifacts);
        List<Path> parts = new ArrayList<>();
        try (BufferedReader lines = Files.newBufferedReader(spool, StandardCharsets.UTF_8)) {
            LogChunks.write(lines, number -> {
                Path part = artifacts.resolve(LogChunks.name(number) + AtomicFiles.PART);
                parts.add(part);
                return synced(new FileOutputStream(part.toFile()));
            });
        } catch (IOException | RuntimeException e) {
            for (Path part : parts) {
                Files.deleteIfExists(part);
            }
            throw e;
        }
        List<Manifest.FileEntry> chunks = new ArrayList<>();
        for (Path part : parts) {
            String name = part.getFileName().toString();
            Path target = artifacts.resolve(name.substring(0, name.length() - AtomicFiles.PART.length()));
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            chunks.add(ManifestWriter.describe(target));
        }
        return chunks;
    }

    /** A file stream that reaches the disk before it closes. */
    private static OutputStream synced(FileOutputStream file) {
        return new FilterOutputStream(new BufferedOutputStream(file, 1 << 16)) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                try (file) {
                    out.flush();
                    file.getFD().sync();
                }
            }
        };
    }
}
