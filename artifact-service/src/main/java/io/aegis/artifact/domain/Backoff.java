package io.aegis.artifact.domain;

import java.time.Duration;

/**
 * How long a failed finalization waits before its next attempt: 2 seconds after the first failure,
 * doubling with each further one, never more than 5 minutes. Defined for every {@code attempts ≥ 1};
 * large counts stay at the cap instead of overflowing.
 */
public final class Backoff {

    public static final Duration FIRST = Duration.ofSeconds(2);
    public static final Duration MAX = Duration.ofMinutes(5);

    /** Doublings past which the delay is at the cap whatever the count (2 s · 2⁸ = 512 s > 5 min). */
    private static final int SATURATED = 8;

    /**
     * The delay after {@code attempts} failed attempts.
     *
     * @throws IllegalArgumentException when {@code attempts} is below 1
     */
    public static Duration delay(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
        Duration doubled = FIRST.multipliedBy(1L << Math.min(attempts - 1, SATURATED));
        return doubled.compareTo(MAX) < 0 ? doubled : MAX;
    }

    private Backoff() {
    }
}
