package io.aegis.artifact.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void startsAtTwoSecondsAndDoublesPerAttempt() {
        assertThat(Backoff.DEFAULT.delay(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(Backoff.DEFAULT.delay(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(Backoff.DEFAULT.delay(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(Backoff.DEFAULT.delay(8)).isEqualTo(Duration.ofSeconds(256));
    }

    @Test
    void neverWaitsLongerThanFiveMinutes() {
        assertThat(Backoff.DEFAULT.delay(9)).isEqualTo(Duration.ofMinutes(5));
        assertThat(Backoff.DEFAULT.delay(10)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void hugeAttemptCountsStayAtTheCapInsteadOfOverflowing() {
        assertThat(Backoff.DEFAULT.delay(31)).isEqualTo(Duration.ofMinutes(5));
        assertThat(Backoff.DEFAULT.delay(64)).isEqualTo(Duration.ofMinutes(5));
        assertThat(Backoff.DEFAULT.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void delaysNeverShrinkAsAttemptsGrow() {
        for (int attempts = 1; attempts < 100; attempts++) {
            assertThat(Backoff.DEFAULT.delay(attempts + 1)).isGreaterThanOrEqualTo(Backoff.DEFAULT.delay(attempts));
        }
    }

    @Test
    void anAttemptCountBelowOneIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Backoff.DEFAULT.delay(0)).withMessageContaining("at least 1");
        assertThatIllegalArgumentException().isThrownBy(() -> Backoff.DEFAULT.delay(-3));
    }

    @Test
    void aConfiguredBackoffStartsAtItsFirstDelayAndStopsAtItsCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500));
        assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.delay(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.delay(4)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aBackoffThatNeverWaitsOrShrinksIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThatIllegalArgumentException().isThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
