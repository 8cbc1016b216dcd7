package io.aegis.logstream.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AttemptsTest {

    private static StreamEvent of(int attempt) {
        return new StreamEvent("1-1", "log", "{}", 0, attempt);
    }

    @Test
    void anEarlierAttemptsEventIsHistoryAndOneThatNamesNoAttemptNeverIs() {
        assertThat(Attempts.isHistory(of(1), 2)).isTrue();
        assertThat(Attempts.isHistory(of(2), 2)).isFalse();
        assertThat(Attempts.isHistory(of(3), 2)).isFalse();
        assertThat(Attempts.isHistory(of(Attempts.NONE), 2)).isFalse();
    }

    @Test
    void aLaterAttemptsEventMovesTheStreamOnAndAnEarlierOneDoesNot() {
        assertThat(Attempts.following(1, of(2))).isEqualTo(2);
        assertThat(Attempts.following(2, of(1))).isEqualTo(2);
        assertThat(Attempts.following(0, of(Attempts.NONE))).isZero();
    }

    @Test
    void anEndCountsUntilALaterAttemptIsKnown() {
        assertThat(Attempts.stillEnded(1, 1)).isTrue();
        assertThat(Attempts.stillEnded(1, 2)).isFalse();
        assertThat(Attempts.stillEnded(2, 2)).isTrue();
    }

    @Test
    void eachAttemptsEndHasAPositionOfItsOwnAfterTheEarlierOnesAndItsGapMarker() {
        assertThat(Attempts.terminalPosition(1)).isEqualTo(1);
        assertThat(Attempts.terminalPosition(2)).isEqualTo(3);
        assertThat(Attempts.terminalPosition(3) - 1).isGreaterThan(Attempts.terminalPosition(2));
        // an end that names no attempt is the first attempt's
        assertThat(Attempts.terminalPosition(0)).isEqualTo(1);
    }
}
