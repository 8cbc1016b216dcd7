package io.aegis.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogRateLimiterTest {

    private static final long MS = 1_000_000;

    @Test
    void linesUpToTheLimitPassAndTheRestAreCountedForOneMarkerInTheNextWindow() {
        LogRateLimiter limiter = new LogRateLimiter(3, Duration.ofSeconds(1));
        assertThat(limiter.admit(0)).isZero();
        assertThat(limiter.admit(10 * MS)).isZero();
        assertThat(limiter.admit(20 * MS)).isZero();
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.admit(30 * MS + i)).isEqualTo(LogRateLimiter.SUPPRESSED);
        }
        assertThat(limiter.admit(1000 * MS)).as("first line of the next window reports the count").isEqualTo(1000);
        assertThat(limiter.admit(1001 * MS)).isZero();
    }

    @Test
    void aFloodThatEndsIsReportedWhenDrained() {
        LogRateLimiter limiter = new LogRateLimiter(1, Duration.ofSeconds(1));
        limiter.admit(0);
        limiter.admit(1);
        limiter.admit(2);
        assertThat(limiter.drain()).isEqualTo(2);
        assertThat(limiter.drain()).isZero();
    }

    @Test
    void aSteadyTrickleIsNeverSuppressed() {
        LogRateLimiter limiter = new LogRateLimiter(10, Duration.ofSeconds(1));
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.admit(i * 100 * MS)).isZero();
        }
    }

    @Test
    void aLimitBelowOneLineIsRefused() {
        assertThatThrownBy(() -> new LogRateLimiter(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
