package io.aegis.artifact.domain;

import io.aegis.events.ArtifactStateEvent;
import io.aegis.events.JobStatus;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** What a finished job produced: {@code manifest.json}, one entry per ready file artifact. */
public record Manifest(UUID jobId, JobStatus status, List<FileEntry> files) {

    public static final String NAME = ArtifactStateEvent.MANIFEST;

    /** One file: its public name, size, SHA-256 (hex), CRC-32 (as a zip entry needs it) and content type. */
    public record FileEntry(String name, long size, String sha256, long crc32, String contentType) {
    }

    public Manifest {
        files = files.stream().sorted(Comparator.comparing(FileEntry::name)).toList();
    }
}
