package io.aegis.artifact.service;

import io.aegis.artifact.domain.ContentTypes;
import io.aegis.artifact.domain.Manifest;
import io.aegis.events.EventJson;
import io.aegis.events.JobStatus;
import io.aegis.events.StoreLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Describes a file artifact (size, SHA-256 and CRC-32 in one streamed pass, content type) and writes
 * a job's manifest of its ready files. Blocking I/O.
 */
final class ManifestWriter {

    private ManifestWriter() {
    }

    /** Writes {@code artifacts/manifest.json} listing {@code files}; answers the manifest's own description. */
    static Manifest.FileEntry write(StoreLayout store, UUID jobId, JobStatus status, List<Manifest.FileEntry> files) {
        Path target = store.artifacts(jobId).resolve(Manifest.NAME);
        try {
            byte[] json = EventJson.encode(new Manifest(jobId, status, files));
            AtomicFiles.write(target, out -> out.write(json));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the manifest of " + jobId, e);
        }
        return describe(target, Manifest.NAME);
    }

    static Manifest.FileEntry describe(Path file) {
        return describe(file, file.getFileName().toString());
    }

    /** The file at {@code file} under its public {@code name}. */
    static Manifest.FileEntry describe(Path file, String name) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            CRC32 crc32 = new CRC32();
            byte[] buffer = new byte[1 << 16];
            long size = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
                crc32.update(buffer, 0, n);
                size += n;
            }
            return new Manifest.FileEntry(name, size, HexFormat.of().formatHex(sha256.digest()), crc32.getValue(),
                    ContentTypes.of(name));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
