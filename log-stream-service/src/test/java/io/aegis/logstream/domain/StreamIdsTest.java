package io.aegis.logstream.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StreamIdsTest {

    @Test
    void idsOrderByEpochThenNumber() {
        assertThat(StreamIds.compare("1700000000000-2", "1700000000000-1")).isPositive();
        assertThat(StreamIds.compare("9-50", "10-1")).isNegative();
        assertThat(StreamIds.isAfter("5-1", StreamIds.START)).isTrue();
        assertThat(StreamIds.isAfter("5-1", "5-1")).isFalse();
    }

    @Test
    void onlyWellFormedIdsAreCursors() {
        assertThat(StreamIds.isValid("1-0")).isTrue();
        assertThat(StreamIds.isValid("abc")).isFalse();
        assertThat(StreamIds.isValid("1-x")).isFalse();
        assertThat(StreamIds.isValid("-1-0")).isFalse();
        assertThat(StreamIds.isValid("1-")).isFalse();
    }

    @Test
    void eventsThatFollowEachOtherSkipNothing() {
        assertThat(StreamIds.skipped("7-4", "7-5")).hasValue(0);
        assertThat(StreamIds.skipped(StreamIds.START, "7-1")).hasValue(0);
    }

    @Test
    void aTrimmedBufferSkipsTheEventsBetween() {
        assertThat(StreamIds.skipped("7-4", "7-10")).hasValue(5);
        assertThat(StreamIds.skipped(StreamIds.START, "7-101")).hasValue(100);
    }

    @Test
    void aBufferCreatedAgainSkipsAnUnknownNumber() {
        assertThat(StreamIds.skipped("7-4", "9-1")).isEqualTo(OptionalLong.empty());
    }

    @Test
    void theIdBeforeIsTheCursorThatResumesAtAnEvent() {
        assertThat(StreamIds.before("7-10")).isEqualTo("7-9");
        assertThat(StreamIds.before("7-0")).isEqualTo("7-0");
    }
}
