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
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/** Describes a job's result files (size, streamed sha256, content type) and writes its manifest. Blocking I/O. */
final class ManifestWriter {

    private ManifestWriter() {
    }

    static Manifest write(StoreLayout store, UUID jobId, JobStatus status) {
        Path results = store.results(jobId);
        List<Manifest.FileEntry> files;
        if (Files.isDirectory(results)) {
            try (Stream<Path> paths = Files.list(results)) {
                files = paths.filter(Files::isRegularFile)
                        .filter(p -> !p.getFileName().toString().endsWith(".part"))
                        .map(ManifestWriter::describe).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            files = List.of();
        }
        Manifest manifest = new Manifest(jobId, status, files);
        try {
            Path dir = Files.createDirectories(store.artifacts(jobId));
            Path temp = dir.resolve(Manifest.NAME + ".part");
            Files.write(temp, EventJson.encode(manifest));
            Files.move(temp, dir.resolve(Manifest.NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the manifest of " + jobId, e);
        }
        return manifest;
    }

    static Manifest.FileEntry describe(Path file) {
        String name = file.getFileName().toString();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            long size = in.transferTo(java.io.OutputStream.nullOutputStream());
            String sha256 = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
            return new Manifest.FileEntry(name, size, sha256, ContentTypes.of(name));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
