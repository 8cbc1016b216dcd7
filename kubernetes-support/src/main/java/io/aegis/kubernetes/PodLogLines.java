package io.aegis.kubernetes;

import io.aegis.pipelines.LogSanitizer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Lines of a pod's log as the Kubernetes API gives them with {@code timestamps=true}: an RFC 3339
 * timestamp with up to nine fraction digits, one space, the text. A line without a timestamp is
 * taken whole.
 */
public final class PodLogLines {

    /** A line split into its timestamp (null when it has none) and its text, not yet sanitized. */
    public record Stamped(Instant at, String text) {
    }

    private PodLogLines() {
    }

    public static Stamped split(String raw) {
        if (raw == null) {
            return new Stamped(null, "");
        }
        int space = raw.indexOf(' ');
        String head = space < 0 ? raw : raw.substring(0, space);
        Instant at = timestamp(head);
        if (at == null) {
            return new Stamped(null, raw);
        }
        return new Stamped(at, space < 0 ? "" : raw.substring(space + 1));
    }

    private static Instant timestamp(String token) {
        // cheap shape check first: most lines without one never reach the parser
        if (token.length() < 20 || token.charAt(4) != '-' || token.charAt(10) != 'T') {
            return null;
        }
        try {
            return OffsetDateTime.parse(token, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The {@code index}th line of a container's log, split and sanitized. */
    public static PodLogLine line(String pod, String container, int attempt, String step, long index, String raw) {
        Stamped stamped = split(raw);
        return new PodLogLine(pod, container, attempt, step, index, stamped.at(), LogSanitizer.sanitize(stamped.text()));
    }

    /** A pod's attempt label as a number; 0 when missing or not a number. */
    public static int attempt(String label) {
        if (label == null) {
            return 0;
        }
        try {
            return Integer.parseInt(label);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
