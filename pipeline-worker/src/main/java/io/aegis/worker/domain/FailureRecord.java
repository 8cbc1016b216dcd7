package io.aegis.worker.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Properties;

/**
 * What is kept of a database build that failed, so that every replica lists the failure and why, not
 * only the one whose build failed. It stands for a day ({@link #LISTED_FOR}), or until the name is
 * built or registered again.
 *
 * @param source  the source it failed on; null when the source was gone already (the record then
 *                stands for the name)
 * @param summary what the source held, when it was read before the build failed; else null
 */
public record FailureRecord(String error, Instant failedAt, SourceStamp source, FastaSummary summary) {

    /** How long a failure is listed. */
    public static final Duration LISTED_FOR = Duration.ofHours(24);

    private static final String ERROR = "error";
    private static final String FAILED_AT = "failed-at";

    /**
     * @throws IllegalArgumentException when the properties do not say when the build failed
     */
    public static FailureRecord read(Properties p) {
        String failedAt = p.getProperty(FAILED_AT);
        if (failedAt == null) {
            throw new IllegalArgumentException("no " + FAILED_AT);
        }
        try {
            return new FailureRecord(p.getProperty(ERROR), Instant.parse(failedAt),
                    SourceStamp.read(p).orElse(null), BuildMarker.summary(p).orElse(null));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("a " + FAILED_AT + " that is no instant: " + failedAt, e);
        }
    }

    public Properties toProperties() {
        Properties p = new Properties();
        p.setProperty(ERROR, error);
        p.setProperty(FAILED_AT, failedAt.toString());
        if (source != null) {
            source.write(p);
        }
        if (summary != null) {
            BuildMarker.write(summary, p);
        }
        return p;
    }

    /** Whether the failure is too old to be listed any more. */
    public boolean expired(Instant now) {
        return failedAt.isBefore(now.minus(LISTED_FOR));
    }

    /** Whether it failed on the source as it is {@code now} (null: there is no source). */
    public boolean failedOn(SourceStamp now) {
        return source != null && source.equals(now);
    }
}
