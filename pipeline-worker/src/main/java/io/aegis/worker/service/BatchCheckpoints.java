package io.aegis.worker.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.worker.domain.Checkpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.OptionalLong;

/**
 * The batches attempts of one job finished, kept in the store ({@code jobs/<id>/checkpoints/}) for a
 * later attempt: one started again after its worker was lost, or a retry. A batch leaves its
 * results file and then, written after it, its {@link Checkpoint}; a later attempt takes a batch
 * from here only when the key is the same and the file still has its digest, and searches anything
 * else again. The split goes along ({@code plan.json}), so that a worker with another number of
 * cores makes the same batches. Everything is written aside and renamed: a checkpoint is whole or
 * absent.
 */
final class BatchCheckpoints {

    /** What a later attempt found for a batch. */
    enum Found {
        /** Same key, same digest: the results were copied and the batch needs no search. */
        REUSED,
        /** Nothing whole was kept for the batch. */
        MISSING,
        /** Kept for another search (other parameters, another database version, other queries). */
        STALE,
        /** The file no longer has its digest: it is not trusted. */
        TAMPERED
    }

    private record Plan(int schema, long residuesPerBatch) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLAN = "plan.json";

    private final Path dir;

    BatchCheckpoints(Path dir) {
        this.dir = dir;
    }

    /** The residues per batch an earlier attempt split the queries by, if one did. */
    OptionalLong residuesPerBatch() {
        try {
            Plan plan = JSON.readValue(Files.readAllBytes(dir.resolve(PLAN)), Plan.class);
            return plan.residuesPerBatch() > 0 ? OptionalLong.of(plan.residuesPerBatch()) : OptionalLong.empty();
        } catch (IOException unreadable) {
            return OptionalLong.empty();
        }
    }

    /** Records how this attempt splits the queries. */
    void plan(long residuesPerBatch) throws IOException {
        write(PLAN, JSON.writeValueAsBytes(new Plan(1, residuesPerBatch)));
    }

    /**
     * Copies batch {@code index}'s kept results to {@code target} when they were made for {@code key}
     * and still have their digest, as has the batch's {@code archive} (null for a search that keeps
     * none); the copy is checked as it is made, so what was checked is what is used. Anything else
     * leaves no {@code target}.
     */
    Found take(int index, String key, Path target, Path archive) throws IOException {
        Checkpoint checkpoint;
        try {
            checkpoint = JSON.readValue(Files.readAllBytes(record(index)), Checkpoint.class);
        } catch (NoSuchFileException missing) {
            return Found.MISSING;
        } catch (IOException unreadable) {
            return Found.TAMPERED;
        }
        if (!checkpoint.key().equals(key) || (archive != null) != (checkpoint.archive() != null)) {
            return Found.STALE;
        }
        if (archive != null && !checkpoint.archive().equals(digestOf(archive))) {
            return Found.TAMPERED;
        }
        String digest;
        try {
            digest = copy(results(index), target);
        } catch (NoSuchFileException missing) {
            return Found.TAMPERED;
        }
        if (!digest.equals(checkpoint.sha256())) {
            Files.deleteIfExists(target);
            return Found.TAMPERED;
        }
        return Found.REUSED;
    }

    /**
     * Keeps batch {@code index}'s results, made for {@code key}: the file first, then its record, which
     * also holds the digest of the batch's {@code archive} (already in its place with the job; null for
     * a search that keeps none).
     */
    void keep(int index, String key, Path results, Path archive) throws IOException {
        Files.createDirectories(dir);
        Path part = dir.resolve(results(index).getFileName() + ".part");
        String digest = copy(results, part);
        Files.move(part, results(index), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        String archived = archive == null ? null : digestOf(archive);
        write(record(index).getFileName().toString(),
                JSON.writeValueAsBytes(new Checkpoint(Checkpoint.SCHEMA, key, digest, archived)));
    }

    /** Removes every checkpoint of the job: it succeeded, and nothing will need them. */
    void clear() throws IOException {
        FileTrees.delete(dir);
    }

    private Path results(int index) {
        return dir.resolve(String.format("batch-%04d.tsv", index));
    }

    private Path record(int index) {
        return dir.resolve(String.format("batch-%04d.json", index));
    }

    private void write(String name, byte[] content) throws IOException {
        Files.createDirectories(dir);
        Path part = dir.resolve(name + ".part");
        Files.write(part, content);
        Files.move(part, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The digest of {@code file}; a file that is not there has none that matches. */
    private static String digestOf(Path file) throws IOException {
        MessageDigest digest = Checkpoint.newDigest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        } catch (NoSuchFileException missing) {
            return "";
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Copies {@code from} to {@code to}, returning the digest of what was copied. */
    private static String copy(Path from, Path to) throws IOException {
        MessageDigest digest = Checkpoint.newDigest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(from); OutputStream out = Files.newOutputStream(to)) {
            for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
                out.write(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
