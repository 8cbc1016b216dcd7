package io.aegis.artifact.service;

import io.aegis.artifact.domain.Artifact;
import io.aegis.artifact.domain.ContentTypes;
import io.aegis.artifact.domain.LogChunks;
import io.aegis.artifact.domain.Manifest;
import io.aegis.artifact.repository.FinalizationRepository.Claim;
import io.aegis.events.ArtifactState;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One attempt at a claimed finalization, as its parts see it: the job's artifact rows by name as
 * the attempt last saved them, what it plans, the parts that failed and why, and what settled
 * without output; for a job that reused an earlier job's results, that job's ready artifacts, which the
 * parts take over instead of building them again. Its parts run one after another, so one attempt's
 * state is never changed by two threads at once.
 */
final class BuildAttempt {

    private final Claim claim;
    private final Map<String, Artifact> rows = new LinkedHashMap<>();
    private final Map<String, Artifact> reused = new LinkedHashMap<>();
    private final Map<String, String> failures = new LinkedHashMap<>();
    private final List<CompletableFuture<Void>> announcements = new ArrayList<>();
    private BuildPlan plan;
    private String note;
    private Context trace = Context.root();

    BuildAttempt(Claim claim) {
        this.claim = claim;
    }

    /** The build's trace context: its parts' spans and its announcements go under it. */
    Context trace() {
        return trace;
    }

    void trace(Context context) {
        this.trace = context;
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

    /** The job whose results this one reused, or null. */
    UUID reusedFrom() {
        return claim.reusedFrom();
    }

    /** Takes in the reused job's artifact rows; only its ready ones are kept. */
    void reused(List<Artifact> earlier) {
        earlier.stream().filter(r -> r.state == ArtifactState.READY).forEach(r -> reused.put(r.name, r));
    }

    /** The reused job's ready artifact of that name, if this job reused one that has it. */
    Optional<Artifact> reused(String name) {
        return Optional.ofNullable(reused.get(name));
    }

    /** The reused job's ready log chunks, in order; none when this job reused nothing. */
    List<Artifact> reusedLogChunks() {
        return reused.values().stream().filter(r -> LogChunks.isChunk(r.name) && r.location != null)
                .sorted(Comparator.comparing(r -> r.name)).toList();
    }

    /** The state of the job's row of that name as last saved or loaded, null when it has none. */
    ArtifactState state(String name) {
        Artifact row = rows.get(name);
        return row == null ? null : row.state;
    }

    boolean ready(String name) {
        Artifact row = rows.get(name);
        return row != null && row.state == ArtifactState.READY;
    }

    boolean logsReady() {
        return rows.values().stream().anyMatch(r -> r.state == ArtifactState.READY && LogChunks.isChunk(r.name));
    }

    /** Starts announcing what a part made ready; the attempt goes on without waiting for the broker. */
    void announcing(Uni<Void> announcement) {
        announcements.add(announcement.subscribeAsCompletionStage());
    }

    /**
     * Answers once every announcement started has been sent: a settled attempt has told everything it
     * made ready. One that could not be sent is logged; the row is ready whether or not it was announced,
     * and the artifact list shows it.
     */
    Uni<Void> announced() {
        return Uni.createFrom().completionStage(CompletableFuture.allOf(announcements.toArray(CompletableFuture[]::new)))
                .onFailure().invoke(failure -> Log.warnf("Job %s: an artifact's readiness was not announced: %s", jobId(),
                        message(failure)))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
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

    /**
     * Any failure but the job's deletion and the loss of the build to a later attempt: noted, and the
     * attempt goes on or is retried. Those two stop the attempt.
     */
    static boolean noted(Throwable failure) {
        return !(failure instanceof JobRemovedException) && !(failure instanceof LeaseLostException);
    }

    static String message(Throwable failure) {
        Throwable cause = failure instanceof UncheckedIOException && failure.getCause() != null ? failure.getCause() : failure;
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
