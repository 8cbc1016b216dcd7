package io.aegis.artifact.service;

import io.aegis.artifact.blast.BlastFormat;
import io.aegis.artifact.config.StoreConfig;
import io.aegis.artifact.domain.Artifact;
import io.aegis.artifact.domain.ContentTypes;
import io.aegis.events.StoreLayout;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * For a job that reused an earlier job's results, first: everything that job's finalization already
 * built from the same bytes, taken over in one step instead of built again. Its results were linked in
 * by {@link BuildPlan} and are described by the earlier job's rows (size, SHA-256, CRC-32: not read
 * again); this job's own {@code input.fasta} described ({@link InputPart}); its {@code summary.json},
 * {@code alignments.txt}, BLAST's own formats (made from the same archive, {@link BlastFormatPart}) and
 * log chunks are hard-linked in under the
 * same names (copied where the store has no links); its hit rows are copied inside the database
 * ({@link HitTable#copy}). Each artifact the earlier job has no ready row for, or that cannot be taken
 * over (a size that disagrees, a file gone), is left to its own part, which builds it as for any job
 * (the log's, for a reused job, without waiting: {@link LogChunksPart}).
 *
 * <p>One step rather than one per artifact because each recorded step costs a save and an announcement:
 * taken over one by one, a reused job's seven artifacts took ~300 ms on this project's 2-core machine
 * (under a load of about 3), most of it in those round trips; together, with {@code steps.json} and the
 * manifest after them, every artifact is ready about 100 ms after the broker took the job's terminal
 * event (68–215 ms in four runs, as the machine's other work allowed).
 */
@ApplicationScoped
class ReusedPart implements ArtifactPart {

    static final String NAME = "reused";

    private final StoreLayout store;
    private final DataSource dataSource;
    private final BuildPool pool;

    private final InputPart input;

    public ReusedPart(StoreConfig store, DataSource dataSource, BuildPool pool, InputPart input) {
        this.store = new StoreLayout(store.root());
        this.dataSource = dataSource;
        this.pool = pool;
        this.input = input;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean due(BuildAttempt attempt) {
        return attempt.reusedFrom() != null;
    }

    @Override
    public Uni<List<Artifact>> build(BuildAttempt attempt) {
        return pool.run(() -> {
            BuildPlan plan = attempt.plan();
            List<Artifact> taken = new ArrayList<>();
            for (Path file : plan.files()) {
                String name = file.getFileName().toString();
                if (!attempt.ready(name)) {
                    result(attempt, file).ifPresent(taken::add);
                }
            }
            if (input.due(attempt)) {
                input(attempt).ifPresent(taken::add);
            }
            if (plan.hits()) {
                linkUnlessReady(attempt, SummaryPart.NAME).ifPresent(taken::add);
            }
            if (plan.alignments()) {
                linkUnlessReady(attempt, AlignmentsPart.NAME).ifPresent(taken::add);
            }
            for (BlastFormat format : plan.blastFormats()) {
                // the same input and the same archive: the earlier job's documents, byte for byte
                linkUnlessReady(attempt, format.artifact()).ifPresent(taken::add);
            }
            if (!attempt.logsReady()) {
                taken.addAll(logChunks(attempt));
            }
            if (plan.hits() && !attempt.ready(HitTable.NAME) && attempt.reused(HitTable.NAME).isPresent()) {
                hitTable(attempt).ifPresent(taken::add);
            }
            Log.debugf("Job %s took over %d artifacts of job %s", attempt.jobId(), taken.size(), attempt.reusedFrom());
            return taken;
        });
    }

    /** A result file linked in from the earlier job, described as that job's row describes it. */
    private static Optional<Artifact> result(BuildAttempt attempt, Path file) {
        String name = file.getFileName().toString();
        Optional<Artifact> earlier = attempt.reused(name).filter(ReusedPart::described)
                .filter(row -> ("results/" + name).equals(row.location));
        try {
            if (earlier.isEmpty() || Files.size(file) != earlier.get().size) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return notTaken(attempt, name, e);
        }
        return Optional.of(as(attempt.row(name), earlier.get(), "results/" + name));
    }

    /** The job's input, described in this step; a failure leaves it to its own part. */
    private Optional<Artifact> input(BuildAttempt attempt) {
        try {
            return Optional.of(input.publish(attempt));
        } catch (UncheckedIOException e) {
            return notTaken(attempt, InputPart.NAME, e.getCause());
        }
    }

    private Optional<Artifact> linkUnlessReady(BuildAttempt attempt, String name) {
        return attempt.ready(name) ? Optional.empty() : link(attempt, name);
    }

    /** The earlier job's log chunks, every one or none: no log with a gap in it. */
    private List<Artifact> logChunks(BuildAttempt attempt) throws IOException {
        List<Artifact> earlier = attempt.reusedLogChunks();
        List<Artifact> linked = new ArrayList<>();
        for (Artifact chunk : earlier) {
            link(attempt, chunk.name).ifPresent(linked::add);
        }
        if (linked.size() == earlier.size()) {
            return linked;
        }
        for (Artifact chunk : linked) {
            Files.deleteIfExists(store.artifacts(attempt.jobId()).resolve(chunk.name));
        }
        return List.of();
    }

    /** The earlier job's hit rows copied; empty when they are not there to copy (then they are loaded from hits.tsv). */
    private Optional<Artifact> hitTable(BuildAttempt attempt) {
        try {
            OptionalLong copied = HitTable.copy(dataSource, attempt.claim(), attempt.reusedFrom());
            if (copied.isPresent()) {
                Log.infof("Copied %d hits of job %s from job %s", copied.getAsLong(), attempt.jobId(), attempt.reusedFrom());
                return Optional.of(attempt.row(HitTable.NAME));
            }
        } catch (SQLException e) {
            Log.warnf("Job %s: the hits of job %s could not be copied (%s); they are loaded from hits.tsv",
                    attempt.jobId(), attempt.reusedFrom(), e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * The earlier job's built file {@code name}, linked into this job's {@code artifacts/} (through a
     * {@code .part} name and an atomic move, as every build writes) and described; empty when there is
     * none to take over.
     */
    private Optional<Artifact> link(BuildAttempt attempt, String name) {
        Optional<Artifact> earlier = attempt.reused(name).filter(ReusedPart::described);
        if (earlier.isEmpty()) {
            return Optional.empty();
        }
        Path folder = store.jobDir(attempt.reusedFrom());
        Path source = folder.resolve(earlier.get().location).normalize();
        if (!source.startsWith(folder) || !Files.isRegularFile(source)) {
            return Optional.empty();
        }
        Path target = store.artifacts(attempt.jobId()).resolve(name);
        Path part = target.resolveSibling(name + AtomicFiles.PART);
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(part);
            try {
                Files.createLink(part, source);
            } catch (UnsupportedOperationException | IOException noLinks) {
                Files.copy(source, part, StandardCopyOption.REPLACE_EXISTING);
            }
            if (Files.size(part) != earlier.get().size) {
                Files.deleteIfExists(part);
                return Optional.empty();
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            return notTaken(attempt, name, e);
        }
        return Optional.of(as(attempt.row(name), earlier.get(), "artifacts/" + name));
    }

    /** A take-over that failed is no failure of the build: the artifact's own part builds it. */
    private static Optional<Artifact> notTaken(BuildAttempt attempt, String name, IOException e) {
        Log.infof("Job %s: %s of job %s could not be taken over (%s); it is built", attempt.jobId(), name,
                attempt.reusedFrom(), e.getMessage());
        return Optional.empty();
    }

    private static boolean described(Artifact row) {
        return Artifact.FILE.equals(row.kind) && row.location != null && row.size != null && row.sha256 != null
                && row.crc32 != null;
    }

    private static Artifact as(Artifact row, Artifact earlier, String location) {
        row.kind = Artifact.FILE;
        row.location = location;
        row.size = earlier.size;
        row.sha256 = earlier.sha256;
        row.crc32 = earlier.crc32;
        row.contentType = earlier.contentType != null ? earlier.contentType : ContentTypes.of(row.name);
        return row;
    }
}
