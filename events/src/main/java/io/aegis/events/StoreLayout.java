package io.aegis.events;

import java.nio.file.Path;
import java.util.UUID;

/**
 * Where things live in the artifact store, shared by every service that reads or writes it:
 * {@code jobs/<id>/input.fasta}, {@code jobs/<id>/results/…}, {@code jobs/<id>/artifacts/…},
 * {@code jobs/<id>/logs/…}, {@code jobs/<id>/checkpoints/…} (the batches an attempt finished, for a
 * later attempt; never served), {@code jobs/<id>/archive/…} (BLAST's archive of each batch, from which
 * the job's results are formatted again), and BLAST databases under {@code databases/<name>/}.
 */
public record StoreLayout(Path root) {

    public static final String INPUT_FILE = "input.fasta";
    /** The marker file of a database's build, see {@link #databaseMarker}. */
    public static final String DATABASE_MARKER = "aegis-database.properties";

    public StoreLayout {
        root = root.toAbsolutePath().normalize();
    }

    /** The input reference carried by {@link JobRequestedEvent#inputRef()}: relative to the root. */
    public static String inputRef(UUID jobId) {
        return "jobs/" + jobId + "/" + INPUT_FILE;
    }

    public Path resolve(String ref) {
        Path path = root.resolve(ref).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("Reference outside the store: " + ref);
        }
        return path;
    }

    public Path jobDir(UUID jobId) {
        return root.resolve("jobs").resolve(jobId.toString());
    }

    public Path input(UUID jobId) {
        return jobDir(jobId).resolve(INPUT_FILE);
    }

    public Path results(UUID jobId) {
        return jobDir(jobId).resolve("results");
    }

    public Path artifacts(UUID jobId) {
        return jobDir(jobId).resolve("artifacts");
    }

    public Path logs(UUID jobId) {
        return jobDir(jobId).resolve("logs");
    }

    /** The batches an attempt of the job finished, kept for a later attempt until the job succeeds. */
    public Path checkpoints(UUID jobId) {
        return jobDir(jobId).resolve("checkpoints");
    }

    /**
     * BLAST's own archive of the job's search (outfmt 11), one file per batch, and what the search was
     * ({@link SearchArchive}): every format BLAST offers is made from it again, without searching again.
     */
    public Path archive(UUID jobId) {
        return jobDir(jobId).resolve("archive");
    }

    public Path database(String name) {
        return root.resolve("databases").resolve(name);
    }

    /** The marker a database's build leaves beside its files: what it holds and its {@code version}. */
    public Path databaseMarker(String name) {
        return database(name).resolve(DATABASE_MARKER);
    }
}
