package io.aegis.artifact.domain;

import java.time.Duration;

/**
 * How long a failed finalization waits before its next attempt: {@code first} after the first failure,
 * doubling with each further one, never more than {@code max} ({@code aegis.artifacts.retry-backoff} and
 * {@code retry-backoff-max}; 2 seconds and 5 minutes unless configured, {@link #DEFAULT}). Defined for every
 * {@code attempts ≥ 1}; large counts stay at the cap instead of overflowing.
 */
public record Backoff(Duration first, Duration max) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5));

    /**
     * @throws IllegalArgumentException when {@code first} is not positive or {@code max} is below it
     */
    public Backoff {
        if (first.isNegative() || first.isZero()) {
            throw new IllegalArgumentException("The first delay must be positive, was " + first);
        }
        if (max.compareTo(first) < 0) {
            throw new IllegalArgumentException("The longest delay (" + max + ") is below the first (" + first + ")");
        }
    }

    /**
     * The delay after {@code attempts} failed attempts.
     *
     * @throws IllegalArgumentException when {@code attempts} is below 1
     */
    public Duration delay(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
        // doubled until the cap is reached: at most log2(max / first) + 1 times, whatever the count
        Duration delay = first;
        for (int doublings = attempts - 1; doublings > 0 && delay.compareTo(max) < 0; doublings--) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) < 0 ? delay : max;
    }
}
