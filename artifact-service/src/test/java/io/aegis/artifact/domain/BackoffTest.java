package io.aegis.artifact.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void startsAtTwoSecondsAndDoublesPerAttempt() {
        assertThat(Backoff.delay(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(Backoff.delay(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(Backoff.delay(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(Backoff.delay(8)).isEqualTo(Duration.ofSeconds(256));
    }

    @Test
    void neverWaitsLongerThanFiveMinutes() {
        assertThat(Backoff.delay(9)).isEqualTo(Duration.ofMinutes(5));
        assertThat(Backoff.delay(10)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void hugeAttemptCountsStayAtTheCapInsteadOfOverflowing() {
        assertThat(Backoff.delay(31)).isEqualTo(Duration.ofMinutes(5));
        assertThat(Backoff.delay(64)).isEqualTo(Duration.ofMinutes(5));
        assertThat(Backoff.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void delaysNeverShrinkAsAttemptsGrow() {
        for (int attempts = 1; attempts < 100; attempts++) {
            assertThat(Backoff.delay(attempts + 1)).isGreaterThanOrEqualTo(Backoff.delay(attempts));
        }
    }

    @Test
    void anAttemptCountBelowOneIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Backoff.delay(0)).withMessageContaining("at least 1");
        assertThatIllegalArgumentException().isThrownBy(() -> Backoff.delay(-3));
    }
}
