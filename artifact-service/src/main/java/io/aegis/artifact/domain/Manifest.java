package io.aegis.artifact.domain;

import io.aegis.events.JobStatus;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** What a finished job produced: {@code manifest.json}, one entry per result file. */
public record Manifest(UUID jobId, JobStatus status, List<FileEntry> files) {

    public static final String NAME = "manifest.json";

    public record FileEntry(String name, long size, String sha256, String contentType) {
    }

    public Manifest {
        files = files.stream().sorted(Comparator.comparing(FileEntry::name)).toList();
    }
}
