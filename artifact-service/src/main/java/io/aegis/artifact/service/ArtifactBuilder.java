package io.aegis.artifact.service;

import io.aegis.artifact.client.JobServiceClient;
import io.aegis.artifact.config.ArtifactsConfig;
import io.aegis.artifact.config.StoreConfig;
import io.aegis.artifact.domain.Artifact;
import io.aegis.artifact.domain.Backoff;
import io.aegis.artifact.domain.ContentTypes;
import io.aegis.artifact.domain.HitSummary;
import io.aegis.artifact.domain.Manifest;
import io.aegis.artifact.domain.TopAlignments;
import io.aegis.artifact.messaging.ArtifactEvents;
import io.aegis.artifact.repository.FinalizationRepository;
import io.aegis.artifact.repository.FinalizationRepository.Claim;
import io.aegis.events.ArtifactState;
import io.aegis.events.JobStatus;
import io.aegis.events.StoreLayout;
import io.aegis.web.identity.InternalKey;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * One attempt at a claimed finalization: builds every part of the job's artifacts not yet ready,
 * each on its own (a part that fails does not stop the others), and settles the attempt: done when
 * every part is built, due again after {@link Backoff#delay} when one failed, failed for good after
 * {@code max-attempts}. Parts are idempotent: files are written whole or not at all, the hit table
 * is replaced in one transaction. Every artifact turning ready or failed is announced.
 *
 * <p>The parts, in order: the worker's {@code results/*} files; {@code summary.json},
 * {@code alignments.txt} and the {@code hits} table from {@code results/hits.tsv};
 * {@code steps.json} from job-service; the log chunks from the spool; {@code manifest.json} last,
 * only once everything else is ready.
 */
@ApplicationScoped
public class ArtifactBuilder {

    static final String SUMMARY = "summary.json";
    static final String ALIGNMENTS = "alignments.txt";
    static final String STEPS = "steps.json";
    static final String LOG_PREFIX = "log-";
    static final String LOG_SUFFIX = ".txt.gz";
    static final String NO_LOG_LINES = "No log lines were collected for this job";

    private final StoreLayout store;
    private final ArtifactsConfig config;
    private final ArtifactEvents events;
    private final FinalizationRepository finalizations;
    private final JobServiceClient jobService;
    private final InternalKey key;
    private final DataSource dataSource;
    private final LogSpool spool;
    private final WorkerExecutor blocking;
    private final JobRemoval removal;

    public ArtifactBuilder(StoreConfig store, ArtifactsConfig config, ArtifactEvents events,
                           FinalizationRepository finalizations, @RestClient JobServiceClient jobService,
                           InternalKey key, DataSource dataSource, LogSpool spool, JobRemoval removal, Vertx vertx) {
        this.store = new StoreLayout(store.root());
        this.config = config;
        this.events = events;
        this.finalizations = finalizations;
        this.jobService = jobService;
        this.key = key;
        this.dataSource = dataSource;
        this.spool = spool;
        this.removal = removal;
        // builds read and write files for seconds to minutes: a pool of their own, not the shared workers
        this.blocking = vertx.createSharedWorkerExecutor("aegis-artifact-builds", ArtifactScheduler.CONCURRENT_BUILDS,
                30, TimeUnit.MINUTES);
    }

    @PreDestroy
    void close() {
        blocking.closeAndAwait();
    }

    /** What this attempt found on disk and what it builds. */
    record Plan(List<Path> results, boolean hits, List<String> columns, String columnsError, boolean alignments) {

        List<String> names() {
            List<String> names = new ArrayList<>();
            results.forEach(file -> names.add(file.getFileName().toString()));
            if (hits) {
                names.add(SUMMARY);
                names.add(HitTable.NAME);
            }
            if (alignments) {
                names.add(ALIGNMENTS);
            }
            names.add(STEPS);
            names.add(Manifest.NAME);
            return names;
        }
    }

    /** One attempt's state: the job's artifact rows by name, the parts that failed and why. */
    static final class Attempt {
        final Claim claim;
        final Map<String, Artifact> rows = new LinkedHashMap<>();
        final Map<String, String> failures = new LinkedHashMap<>();
        String note;
        Plan plan;

        Attempt(Claim claim) {
            this.claim = claim;
        }

        UUID jobId() {
            return claim.jobId();
        }

        boolean ready(String name) {
            Artifact row = rows.get(name);
            return row != null && row.state == ArtifactState.READY;
        }

        boolean logsReady() {
            return rows.values().stream().anyMatch(r -> r.state == ArtifactState.READY && isLogChunk(r.name));
        }

        String error() {
            return String.join("; ", failures.values());
        }
    }

    public Uni<Void> build(Claim claim) {
        Attempt attempt = new Attempt(claim);
        Log.debugf("Building the artifacts of job %s (attempt %d)", claim.jobId(), claim.attempt());
        return Panache.withSession(() -> Artifact.<Artifact>list("jobId", claim.jobId()))
                .invoke(rows -> rows.forEach(r -> attempt.rows.put(r.name, r)))
                .chain(() -> blocking(() -> plan(claim)))
                .invoke(plan -> attempt.plan = plan)
                .chain(() -> markPending(attempt))
                .chain(() -> resultFiles(attempt))
                .chain(() -> part(attempt, SUMMARY, attempt.plan.hits(), () -> summary(attempt)))
                .chain(() -> part(attempt, ALIGNMENTS, attempt.plan.alignments(), () -> alignments(attempt)))
                .chain(() -> part(attempt, HitTable.NAME, attempt.plan.hits(), () -> hitTable(attempt)))
                .chain(() -> steps(attempt))
                .chain(() -> logs(attempt))
                .chain(() -> manifest(attempt))
                .onFailure(ArtifactBuilder::buildFailure).invoke(failure -> attempt.failures.put("build", message(failure)))
                .onFailure(ArtifactBuilder::buildFailure).recoverWithNull()
                .chain(() -> settle(attempt))
                .onFailure(JobRemovedException.class).recoverWithUni(removed -> {
                    Log.infof("Job %s was deleted while its artifacts were being built: removing what the build wrote",
                            claim.jobId());
                    return removal.remove(claim.jobId());
                });
    }

    // ---- plan

    private Plan plan(Claim claim) throws IOException {
        Path results = store.results(claim.jobId());
        if (claim.reusedFrom() != null) {
            ReusedResults.link(store.results(claim.reusedFrom()), results);
        }
        List<Path> files = List.of();
        if (Files.isDirectory(results)) {
            try (Stream<Path> paths = Files.list(results)) {
                files = paths.filter(Files::isRegularFile).filter(p -> !AtomicFiles.isPart(p)).sorted().toList();
            }
        }
        boolean hits = Files.isRegularFile(results.resolve(HitsFile.TSV)) || claim.status() == JobStatus.SUCCEEDED;
        List<String> columns = null;
        String columnsError = null;
        if (hits) {
            try {
                columns = HitsFile.columns(results.resolve(HitsFile.JSON));
            } catch (IOException e) {
                columnsError = e.getMessage();
            }
        }
        boolean alignments = columns != null && columns.contains("qseq") && columns.contains("sseq");
        return new Plan(files, hits, columns, columnsError, alignments);
    }

    /** Every planned artifact not yet ready is pending from here on (the job page shows it coming). */
    private Uni<Void> markPending(Attempt attempt) {
        List<Artifact> changed = new ArrayList<>();
        for (String name : attempt.plan.names()) {
            Artifact row = attempt.rows.computeIfAbsent(name, n -> row(attempt, n));
            if (row.state != ArtifactState.READY && row.state != ArtifactState.PENDING) {
                row.state = ArtifactState.PENDING;
                row.updatedAt = Instant.now();
                changed.add(row);
            }
        }
        return save(attempt, changed);
    }

    // ---- parts

    /** The worker's files, each its own artifact under its own name. */
    private Uni<Void> resultFiles(Attempt attempt) {
        return Multi.createFrom().iterable(attempt.plan.results())
                .onItem().transformToUniAndConcatenate(file -> part(attempt, file.getFileName().toString(), true,
                        () -> List.of(file(attempt, ManifestWriter.describe(file), "results/"))))
                .collect().last().replaceWithVoid();
    }

    private List<Artifact> summary(Attempt attempt) throws IOException {
        List<String> columns = columns(attempt);
        HitSummary summary = HitSummary.forColumns(columns);
        HitsFile.forEachLine(hitsTsv(attempt), (ord, line, fields) -> summary.accept(fields));
        Path target = AtomicFiles.write(store.artifacts(attempt.jobId()).resolve(SUMMARY), summary::toJson);
        return List.of(file(attempt, ManifestWriter.describe(target), "artifacts/"));
    }

    private List<Artifact> alignments(Attempt attempt) throws IOException {
        List<String> columns = columns(attempt);
        TopAlignments alignments = TopAlignments.forColumns(columns, config.topAlignments());
        Path target = AtomicFiles.write(store.artifacts(attempt.jobId()).resolve(ALIGNMENTS), out -> {
            try (BufferedReader hits = Files.newBufferedReader(hitsTsv(attempt), StandardCharsets.UTF_8)) {
                Writer text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                alignments.write(hits, text);
                text.flush();
            }
        });
        return List.of(file(attempt, ManifestWriter.describe(target), "artifacts/"));
    }

    private List<Artifact> hitTable(Attempt attempt) throws IOException {
        List<String> columns = columns(attempt);
        try {
            long count = HitTable.load(dataSource, attempt.jobId(), hitsTsv(attempt), columns);
            Log.infof("Loaded %d hits of job %s", count, attempt.jobId());
        } catch (java.sql.SQLException e) {
            throw new IOException("Loading the hit table failed: " + e.getMessage(), e);
        }
        Artifact table = row(attempt, HitTable.NAME);
        return List.of(table);
    }

    /** The execution-step snapshot, as job-service gives it to the job's owner. */
    private Uni<Void> steps(Attempt attempt) {
        if (attempt.ready(STEPS)) {
            return Uni.createFrom().voidItem();
        }
        Context context = Vertx.currentContext();
        return jobService.executionSteps(key.forUser(attempt.claim.owner()), attempt.jobId().toString())
                // the client may answer on another thread; the build's database session lives on its context
                .emitOn(task -> context.runOnContext(task))
                .onFailure().transform(f -> f instanceof WebApplicationException http
                        ? new IOException("job-service answered " + http.getResponse().getStatus()
                                + " for the execution steps", f)
                        : new IOException("job-service cannot be reached for the execution steps: " + message(f), f))
                .chain(response -> {
                    try (response) {
                        if (response.getStatus() != 200) {
                            return Uni.createFrom().failure(new IOException(
                                    "job-service answered " + response.getStatus() + " for the execution steps"));
                        }
                        byte[] body = response.readEntity(String.class).getBytes(StandardCharsets.UTF_8);
                        return blocking(() -> {
                            Path target = AtomicFiles.write(store.artifacts(attempt.jobId()).resolve(STEPS),
                                    out -> out.write(body));
                            return List.of(file(attempt, ManifestWriter.describe(target), "artifacts/"));
                        });
                    }
                })
                .chain(rows -> ready(attempt, rows))
                .onFailure().recoverWithUni(failure -> failed(attempt, STEPS, failure));
    }

    /**
     * The log chunks from the spool. No spool yet (the worker's last lines may still be on their way)
     * fails the part until {@code log-retries} attempts have looked; then it settles without chunks.
     */
    private Uni<Void> logs(Attempt attempt) {
        if (attempt.logsReady()) {
            return Uni.createFrom().voidItem();
        }
        return blocking(() -> {
            Path spooled = spool.file(attempt.jobId());
            List<Artifact> chunks = Files.isRegularFile(spooled) && Files.size(spooled) > 0
                    ? LogChunksPart.write(spooled, store.artifacts(attempt.jobId())).stream()
                            .map(entry -> file(attempt, entry, "artifacts/")).toList()
                    : List.<Artifact>of();
            if (chunks.isEmpty() && attempt.claim.attempt() < config.logRetries()) {
                throw new IOException("No log lines collected yet (attempt " + attempt.claim.attempt() + " of "
                        + config.logRetries() + ")");
            }
            return chunks;
        }).chain(chunks -> {
            if (chunks.isEmpty()) {
                attempt.note = NO_LOG_LINES;
                Log.infof("Job %s: %s", attempt.jobId(), NO_LOG_LINES);
                return Uni.createFrom().voidItem();
            }
            return ready(attempt, chunks);
        }).onFailure().recoverWithUni(failure -> failed(attempt, "logs", failure));
    }

    /** The manifest of every ready file, once nothing else is missing. */
    private Uni<Void> manifest(Attempt attempt) {
        if (attempt.ready(Manifest.NAME) || !attempt.failures.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Manifest.FileEntry> files = attempt.rows.values().stream()
                .filter(r -> r.state == ArtifactState.READY && Artifact.FILE.equals(r.kind) && !Manifest.NAME.equals(r.name))
                .map(r -> new Manifest.FileEntry(r.name, r.size, r.sha256, r.crc32, r.contentType))
                .toList();
        return part(attempt, Manifest.NAME, true, () -> List.of(file(attempt,
                ManifestWriter.write(store, attempt.jobId(), attempt.claim.status(), files), "artifacts/")));
    }

    // ---- settling

    private Uni<Void> settle(Attempt attempt) {
        UUID jobId = attempt.jobId();
        Uni<Boolean> settled;
        if (attempt.failures.isEmpty()) {
            Log.infof("Artifacts of job %s are built (attempt %d)", jobId, attempt.claim.attempt());
            settled = finalizations.done(jobId, attempt.note);
        } else if (attempt.claim.attempt() >= config.maxAttempts()) {
            Log.errorf("Artifacts of job %s failed after %d attempts: %s", jobId, attempt.claim.attempt(), attempt.error());
            settled = failRemaining(attempt).chain(() -> finalizations.failed(jobId, attempt.error()));
        } else {
            var delay = Backoff.delay(attempt.claim.attempt());
            Log.warnf("Artifacts of job %s: attempt %d failed, next in %s: %s", jobId, attempt.claim.attempt(), delay,
                    attempt.error());
            settled = finalizations.retry(jobId, delay, attempt.error());
        }
        return settled
                .invoke(held -> {
                    if (!held) {
                        // deleted after the attempt's last row was written: what it wrote since goes too
                        throw new JobRemovedException(jobId);
                    }
                })
                .replaceWithVoid()
                .onFailure(ArtifactBuilder::buildFailure).invoke(f -> Log.errorf(f,
                        "Job %s: the build's outcome was not recorded; it is taken up again when its lease runs out", jobId));
    }

    /** Out of attempts: every artifact not ready fails with its own error, or the build's. */
    private Uni<Void> failRemaining(Attempt attempt) {
        List<Artifact> failed = new ArrayList<>();
        for (Artifact row : attempt.rows.values()) {
            if (row.state != ArtifactState.READY) {
                row.state = ArtifactState.FAILED;
                row.error = row.error != null ? row.error : "Not built: " + attempt.error();
                row.updatedAt = Instant.now();
                failed.add(row);
            }
        }
        return save(attempt, failed).chain(() -> announce(failed));
    }

    // ---- helpers

    /** Runs a blocking part unless it is not planned or already ready; a failure is noted, not thrown. */
    private Uni<Void> part(Attempt attempt, String name, boolean planned, Callable<List<Artifact>> build) {
        if (!planned || attempt.ready(name)) {
            return Uni.createFrom().voidItem();
        }
        return blocking(build)
                .chain(rows -> ready(attempt, rows))
                .onFailure().recoverWithUni(failure -> failed(attempt, name, failure));
    }

    private Uni<Void> ready(Attempt attempt, List<Artifact> rows) {
        for (Artifact row : rows) {
            row.state = ArtifactState.READY;
            row.error = null;
            row.updatedAt = Instant.now();
        }
        return save(attempt, rows).chain(() -> announce(rows));
    }

    /** A part failed this attempt: its artifact keeps its state and shows why until the next attempt. */
    private Uni<Void> failed(Attempt attempt, String name, Throwable failure) {
        if (!buildFailure(failure)) {
            return Uni.createFrom().failure(failure);
        }
        String error = message(failure);
        Log.debugf(failure, "Job %s: %s failed", attempt.jobId(), name);
        attempt.failures.put(name, name + ": " + error);
        Artifact row = attempt.rows.get(name);
        if (row == null) {
            return Uni.createFrom().voidItem();
        }
        row.error = error;
        row.updatedAt = Instant.now();
        return save(attempt, List.of(row));
    }

    private Uni<Void> save(Attempt attempt, List<Artifact> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID jobId = attempt.jobId();
        return Panache.withTransaction(() -> Artifact.getSession()
                        // holds the job's sentinel until the rows are in: a deletion waits, or came first
                        .chain(session -> session.createNativeQuery(
                                        "SELECT 1 FROM artifacts.finalization WHERE job_id = ?1 FOR KEY SHARE")
                                .setParameter(1, jobId).getResultList())
                        .chain(held -> held.isEmpty() ? Uni.createFrom().failure(new JobRemovedException(jobId))
                                : Multi.createFrom().iterable(rows)
                                        .onItem().transformToUniAndConcatenate(row -> Artifact.getSession()
                                                .chain(session -> session.merge(row)))
                                        .collect().asList()))
                .invoke(saved -> saved.forEach(row -> attempt.rows.put(row.name, row)))
                .replaceWithVoid();
    }

    private Uni<Void> announce(List<Artifact> rows) {
        return Multi.createFrom().iterable(rows).onItem().transformToUniAndConcatenate(events::changed)
                .collect().last().replaceWithVoid();
    }

    private <T> Uni<T> blocking(Callable<T> work) {
        return blocking.executeBlocking(Uni.createFrom().item(() -> {
            try {
                return work.call();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }), false);
    }

    private List<String> columns(Attempt attempt) throws IOException {
        if (attempt.plan.columns() == null) {
            throw new IOException(attempt.plan.columnsError());
        }
        return attempt.plan.columns();
    }

    private Path hitsTsv(Attempt attempt) {
        return store.results(attempt.jobId()).resolve(HitsFile.TSV);
    }

    private Artifact file(Attempt attempt, Manifest.FileEntry entry, String folder) {
        Artifact row = row(attempt, entry.name());
        row.kind = Artifact.FILE;
        row.location = folder + entry.name();
        row.size = entry.size();
        row.sha256 = entry.sha256();
        row.crc32 = entry.crc32();
        row.contentType = entry.contentType();
        return row;
    }

    /** The job's row of that name (a copy to fill in), or a new one. */
    private static Artifact row(Attempt attempt, String name) {
        Artifact existing = attempt.rows.get(name);
        Artifact row = new Artifact();
        row.jobId = attempt.jobId();
        row.name = name;
        row.owner = attempt.claim.owner();
        row.state = existing != null ? existing.state : ArtifactState.MISSING;
        row.error = existing != null ? existing.error : null;
        if (HitTable.NAME.equals(name)) {
            row.kind = Artifact.TABLE;
        } else {
            row.kind = Artifact.FILE;
            row.location = (isResult(attempt, name) ? "results/" : "artifacts/") + name;
            row.contentType = ContentTypes.of(name);
        }
        return row;
    }

    private static boolean isResult(Attempt attempt, String name) {
        return attempt.plan != null && attempt.plan.results().stream().anyMatch(p -> p.getFileName().toString().equals(name));
    }

    static boolean isLogChunk(String name) {
        return name.startsWith(LOG_PREFIX) && name.endsWith(LOG_SUFFIX);
    }

    /** Any failure but the job's deletion: noted, and the attempt goes on or is retried. */
    private static boolean buildFailure(Throwable failure) {
        return !(failure instanceof JobRemovedException);
    }

    private static String message(Throwable failure) {
        Throwable cause = failure instanceof UncheckedIOException && failure.getCause() != null ? failure.getCause() : failure;
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
