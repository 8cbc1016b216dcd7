package io.aegis.artifact.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a replica holds a finalization it has claimed, and how it keeps holding it
 * ({@code aegis.artifacts.build-lease}, 10 seconds unless configured). A claim, and each renewal after
 * it, holds the build until {@link #until} (the renewal time plus the lease); the holder renews every
 * {@link #renewEvery()}, a third of the lease, so two renewals in a row may fail or come late before
 * the build is lost. Once its end has passed ({@link #expired}), any replica may claim the build again.
 * A replica that dies therefore delays its builds by at most one lease plus one poll interval
 * ({@link #longestTakeover}): about 11 seconds with the defaults, where a lease of 2 minutes, held
 * without renewal, used to cost up to 2 minutes.
 *
 * <p>The database applies the same rule with its own clock ({@code lease_until = now() + lease},
 * due when {@code lease_until < now()}), so replicas whose clocks read apart still agree on whose
 * build it is; this record is the rule's statement and what the holder paces its renewals by.
 */
public record BuildLease(Duration length) {

    /** The shortest lease: a renewal is a database round trip, and a busy replica must fit three in one lease. */
    public static final Duration SHORTEST = Duration.ofSeconds(1);

    /** Declared after {@link #SHORTEST}, which its construction reads. */
    public static final BuildLease DEFAULT = new BuildLease(Duration.ofSeconds(10));

    /**
     * @throws IllegalArgumentException when {@code length} is below {@link #SHORTEST}
     */
    public BuildLease {
        if (length.compareTo(SHORTEST) < 0) {
            throw new IllegalArgumentException("A build lease must be at least " + SHORTEST + ", was " + length);
        }
    }

    /** How often the holder renews: a third of the lease, so it still holds the build after two missed renewals. */
    public Duration renewEvery() {
        return Duration.ofMillis(length.toMillis() / 3);
    }

    /** When a build claimed or renewed at {@code renewedAt} becomes due again. */
    public Instant until(Instant renewedAt) {
        return renewedAt.plus(length);
    }

    /** Whether a lease that ends at {@code until} has run out at {@code now}: then another replica may claim the build. */
    public static boolean expired(Instant until, Instant now) {
        return now.isAfter(until);
    }

    /**
     * The longest a build waits for another replica after its holder dies: the holder may die just after
     * renewing, and the lease's end is noticed at the next poll.
     */
    public Duration longestTakeover(Duration pollInterval) {
        return length.plus(pollInterval);
    }
}
