package io.aegis.events;

import java.nio.file.Path;
import java.util.UUID;

/**
 * Where things live in the artifact store, shared by every service that reads or writes it:
 * {@code jobs/<id>/input.fasta}, {@code jobs/<id>/results/…}, {@code jobs/<id>/artifacts/…},
 * {@code jobs/<id>/logs/…}, {@code jobs/<id>/checkpoints/…} (the batches an attempt finished, for a
 * later attempt; never served), and BLAST databases under {@code databases/<name>/}.
 */
public record StoreLayout(Path root) {

    public static final String INPUT_FILE = "input.fasta";

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

    public Path database(String name) {
        return root.resolve("databases").resolve(name);
    }
}
