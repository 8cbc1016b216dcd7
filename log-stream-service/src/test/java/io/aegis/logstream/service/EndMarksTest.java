package io.aegis.logstream.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which of the buffer's end marks count for a job that may have been retried. */
class EndMarksTest {

    @Test
    void theEndOfTheNewestAttemptCountsWithTheFinalizationThatCameAfterIt() {
        assertThat(EventLog.countingEnd("7-5", "1", "1", "7-9"))
                .hasValue(new EventLog.Marks("7-5", Optional.of("7-9")));
        assertThat(EventLog.countingEnd("7-5", "1", "1", null)).hasValue(new EventLog.Marks("7-5", Optional.empty()));
    }

    @Test
    void aRetryMakesTheEarlierEndAndItsFinalizationCountNoMore() {
        assertThat(EventLog.countingEnd("7-5", "1", "2", "7-9")).isEmpty();
    }

    @Test
    void theNewAttemptsEndCountsButTheEarlierAttemptsFinalizationDoesNot() {
        assertThat(EventLog.countingEnd("7-20", "2", "2", "7-9"))
                .hasValue(new EventLog.Marks("7-20", Optional.empty()));
    }

    @Test
    void noEndNoMarks() {
        assertThat(EventLog.countingEnd(null, null, "1", "7-9")).isEmpty();
    }
}
