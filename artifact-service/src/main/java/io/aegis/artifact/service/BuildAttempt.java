package io.aegis.artifact.service;

import io.aegis.artifact.domain.Artifact;
import io.aegis.artifact.domain.ContentTypes;
import io.aegis.artifact.domain.LogChunks;
import io.aegis.artifact.domain.Manifest;
import io.aegis.artifact.repository.FinalizationRepository.Claim;
import io.aegis.events.ArtifactState;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One attempt at a claimed finalization, as its parts see it: the job's artifact rows by name as
 * the attempt last saved them, what it plans, the parts that failed and why, and what settled
 * without output. Its parts run one after another, so one attempt's state is never changed by two
 * threads at once.
 */
final class BuildAttempt {

    private final Claim claim;
    private final Map<String, Artifact> rows = new LinkedHashMap<>();
    private final Map<String, String> failures = new LinkedHashMap<>();
    private BuildPlan plan;
    private String note;

    BuildAttempt(Claim claim) {
        this.claim = claim;
    }

    Claim claim() {
        return claim;
    }

    UUID jobId() {
        return claim.jobId();
    }

    BuildPlan plan() {
        return plan;
    }

    void plan(BuildPlan plan) {
        this.plan = plan;
    }

    /** The job's rows by name, as last saved. */
    Map<String, Artifact> rows() {
        return rows;
    }

    boolean ready(String name) {
        Artifact row = rows.get(name);
        return row != null && row.state == ArtifactState.READY;
    }

    boolean logsReady() {
        return rows.values().stream().anyMatch(r -> r.state == ArtifactState.READY && LogChunks.isChunk(r.name));
    }

    /** A part failed: {@code name} keys it, {@code error} says why. */
    void failed(String name, String error) {
        failures.put(name, error);
    }

    boolean hasFailures() {
        return !failures.isEmpty();
    }

    /** Every failure of the attempt, for the finalization's {@code last_error}. */
    String error() {
        return String.join("; ", failures.values());
    }

    /** What settled without output (e.g. no log lines), or null. */
    String note() {
        return note;
    }

    void note(String note) {
        this.note = note;
    }

    /** The job's row of that name (a copy to fill in), or a new one. */
    Artifact row(String name) {
        Artifact existing = rows.get(name);
        Artifact row = new Artifact();
        row.jobId = jobId();
        row.name = name;
        row.owner = claim.owner();
        row.state = existing != null ? existing.state : ArtifactState.MISSING;
        row.error = existing != null ? existing.error : null;
        if (HitTable.NAME.equals(name)) {
            row.kind = Artifact.TABLE;
        } else {
            row.kind = Artifact.FILE;
            row.location = (plan != null && plan.isResult(name) ? "results/" : "artifacts/") + name;
            row.contentType = ContentTypes.of(name);
        }
        return row;
    }

    /** The row of a file the attempt wrote (or found) in {@code folder}, described. */
    Artifact file(Manifest.FileEntry entry, String folder) {
        Artifact row = row(entry.name());
        row.kind = Artifact.FILE;
        row.location = folder + entry.name();
        row.size = entry.size();
        row.sha256 = entry.sha256();
        row.crc32 = entry.crc32();
        row.contentType = entry.contentType();
        return row;
    }

    /** Any failure but the job's deletion: noted, and the attempt goes on or is retried. */
    static boolean noted(Throwable failure) {
        return !(failure instanceof JobRemovedException);
    }

    static String message(Throwable failure) {
        Throwable cause = failure instanceof UncheckedIOException && failure.getCause() != null ? failure.getCause() : failure;
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
