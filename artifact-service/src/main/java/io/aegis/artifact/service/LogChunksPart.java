package io.aegis.artifact.service;

import io.aegis.artifact.config.ArtifactsConfig;
import io.aegis.artifact.config.StoreConfig;
import io.aegis.artifact.domain.Artifact;
import io.aegis.artifact.domain.LogChunks;
import io.aegis.artifact.domain.Manifest;
import io.aegis.events.StoreLayout;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
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
 * The log chunks ({@code log-0001.txt.gz}, …) from the job's spool ({@link LogChunks}). The worker's
 * last lines may still be on their way when the job ends: no spool yet fails the part until
 * {@code log-retries} attempts have looked; then it settles without chunks, and the attempt notes
 * {@link #NO_LOG_LINES}.
 *
 * <p>A job that reused an earlier job's results ran nothing, so no line of its own will ever come, and
 * it waits for none: its log is the earlier job's, the log of the run that produced the hits it now
 * holds. That is what a scientist reading or exporting the job needs beside those hits (the program's
 * warnings, the batches, how long the search took), and its {@code steps.json} already says the steps
 * were reused from that job, so the log cannot be mistaken for a run of its own. The earlier job's
 * ready chunks are taken over as they are ({@link ReusedPart}); when it has none ready (its own
 * finalization still looks for lines) they are written here from its spool; when it has no lines
 * either, the part settles at once without chunks and the attempt notes so.
 */
@ApplicationScoped
class LogChunksPart implements ArtifactPart {

    static final String NO_LOG_LINES = "No log lines were collected for this job";

    private final LogSpool spool;
    private final StoreLayout store;
    private final ArtifactsConfig config;
    private final BuildPool pool;

    public LogChunksPart(LogSpool spool, StoreConfig store, ArtifactsConfig config, BuildPool pool) {
        this.spool = spool;
        this.store = new StoreLayout(store.root());
        this.config = config;
        this.pool = pool;
    }

    @Override
    public String name() {
        return "logs";
    }

    @Override
    public boolean due(BuildAttempt attempt) {
        return !attempt.logsReady();
    }

    @Override
    public Uni<List<Artifact>> build(BuildAttempt attempt) {
        if (attempt.reusedFrom() != null) {
            return pool.run(() -> reused(attempt)).invoke(chunks -> {
                if (chunks.isEmpty()) {
                    attempt.note(NO_LOG_LINES + " (the job it reused has none)");
                    Log.infof("Job %s: the job it reused, %s, has no log lines", attempt.jobId(), attempt.reusedFrom());
                }
            });
        }
        return pool.run(() -> {
            Path spooled = spool.file(attempt.jobId());
            List<Artifact> chunks = Files.isRegularFile(spooled) && Files.size(spooled) > 0
                    ? write(spooled, store.artifacts(attempt.jobId())).stream()
                            .map(entry -> attempt.file(entry, "artifacts/")).toList()
                    : List.<Artifact>of();
            if (chunks.isEmpty() && attempt.claim().tries() < config.logRetries()) {
                throw new IOException("No log lines collected yet (attempt " + attempt.claim().tries() + " of "
                        + config.logRetries() + ")");
            }
            return chunks;
        }).invoke(chunks -> {
            if (chunks.isEmpty()) {
                attempt.note(NO_LOG_LINES);
                Log.infof("Job %s: %s", attempt.jobId(), NO_LOG_LINES);
            }
        });
    }

    /** The reused job's log written from its spool, or none. Blocking I/O. */
    private List<Artifact> reused(BuildAttempt attempt) throws IOException {
        Path spooled = spool.file(attempt.reusedFrom());
        if (!Files.isRegularFile(spooled) || Files.size(spooled) == 0) {
            return List.of();
        }
        return write(spooled, store.artifacts(attempt.jobId())).stream()
                .map(entry -> attempt.file(entry, "artifacts/")).toList();
    }

    /**
     * Writes the chunks of {@code spool} into {@code artifacts}: each goes to its {@code .part} file
     * first, and only once the whole spool has been read are they moved into place (atomically, one by
     * one); a failure part-way leaves no chunk of that attempt behind. Answers the chunks written,
     * described; none when the spool holds no log line. Blocking I/O.
     */
    private static List<Manifest.FileEntry> write(Path spool, Path artifacts) throws IOException {
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
