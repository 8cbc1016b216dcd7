package io.aegis.job.domain;

import io.aegis.contracts.http.JobSubmission;
import io.aegis.events.EventJson;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What makes two jobs the same computation: the input's digest, the pipeline, the database and its
 * version, and the parameters in a canonical form (keys sorted, numbers by value, so {@code 1e-5}
 * and {@code 0.00001} match).
 *
 * @param key null when the database version is unknown: such a job is never matched
 */
public record ReuseKey(String inputDigest, String key) {

    public static ReuseKey of(JobSubmission submission) {
        String input = sha256(submission.fasta());
        if (submission.databaseVersion() == null || submission.databaseVersion().isBlank()) {
            return new ReuseKey(input, null);
        }
        String canonical = String.join("\n", submission.pipeline(), submission.database(),
                submission.databaseVersion(), EventJson.encodeToString(canonical(submission.params())), input);
        return new ReuseKey(input, sha256(canonical));
    }

    static Object canonical(Object value) {
        return switch (value) {
            case null -> null;
            case Map<?, ?> map -> {
                Map<String, Object> sorted = new TreeMap<>();
                map.forEach((k, v) -> sorted.put(String.valueOf(k), canonical(v)));
                yield sorted;
            }
            case List<?> list -> list.stream().map(ReuseKey::canonical).toList();
            case Number number -> new BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
            default -> value;
        };
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
