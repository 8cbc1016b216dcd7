package io.aegis.worker.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The record of a batch an attempt finished, kept beside its results so that a later attempt of the
 * same job can take them instead of searching the batch again.
 *
 * @param key     what the results were made from ({@link #key}); another key is another search
 * @param sha256  the results file's digest, which a later attempt checks before it trusts the file
 * @param archive the digest of the tool's archive of the batch, kept with the job; null when the
 *                search keeps none
 */
public record Checkpoint(int schema, String key, String sha256, String archive) {

    public static final int SCHEMA = 1;

    public Checkpoint {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sha256, "sha256");
    }

    /**
     * Everything a batch's results depend on, as a digest: the search command with its files named
     * by what they hold rather than where they are (the database by name and version), and the
     * batch's queries. Two attempts that would run the same search on the same queries have the
     * same key, whichever worker, folder or attempt number.
     */
    public static String key(List<String> command, String batchFasta) {
        MessageDigest digest = newDigest();
        for (String argument : command) {
            digest.update(argument.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        digest.update((byte) 0);
        digest.update(batchFasta.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A SHA-256 digest, which checkpoints are named and checked by. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }
}
