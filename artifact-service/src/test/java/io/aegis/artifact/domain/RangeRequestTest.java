package io.aegis.artifact.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.artifact.domain.RangeRequest.Partial;
import org.junit.jupiter.api.Test;

class RangeRequestTest {

    private static final long SIZE = 1000;

    @Test
    void noHeaderIsTheWholeFile() {
        assertThat(RangeRequest.parse(null, SIZE)).isEqualTo(RangeRequest.FULL);
        assertThat(RangeRequest.parse("", SIZE)).isEqualTo(RangeRequest.FULL);
    }

    @Test
    void aClosedRangeIsServedAsAsked() {
        assertThat(RangeRequest.parse("bytes=0-99", SIZE)).isEqualTo(new Partial(0, 99));
        assertThat(RangeRequest.parse("bytes=10-10", SIZE)).isEqualTo(new Partial(10, 10));
        assertThat(((Partial) RangeRequest.parse("bytes=10-19", SIZE)).length()).isEqualTo(10);
        assertThat(((Partial) RangeRequest.parse("bytes=10-19", SIZE)).contentRange(SIZE)).isEqualTo("bytes 10-19/1000");
    }

    @Test
    void anEndPastTheFileIsCutAtTheLastByte() {
        assertThat(RangeRequest.parse("bytes=900-5000", SIZE)).isEqualTo(new Partial(900, 999));
        assertThat(RangeRequest.parse("bytes=0-99999999999999999999999", SIZE)).isEqualTo(new Partial(0, 999));
    }

    @Test
    void anOpenEndedRangeRunsToTheEnd() {
        assertThat(RangeRequest.parse("bytes=500-", SIZE)).isEqualTo(new Partial(500, 999));
        assertThat(RangeRequest.parse("bytes=999-", SIZE)).isEqualTo(new Partial(999, 999));
        assertThat(RangeRequest.parse("bytes=0-", SIZE)).isEqualTo(new Partial(0, 999));
    }

    @Test
    void aSuffixIsTheLastBytes() {
        assertThat(RangeRequest.parse("bytes=-100", SIZE)).isEqualTo(new Partial(900, 999));
        assertThat(RangeRequest.parse("bytes=-1", SIZE)).isEqualTo(new Partial(999, 999));
    }

    @Test
    void aSuffixLargerThanTheFileIsTheWholeFileAsAPart() {
        assertThat(RangeRequest.parse("bytes=-5000", SIZE)).isEqualTo(new Partial(0, 999));
        assertThat(RangeRequest.parse("bytes=-99999999999999999999999", SIZE)).isEqualTo(new Partial(0, 999));
    }

    @Test
    void aStartAtOrBeyondTheEndCannotBeSatisfied() {
        assertThat(RangeRequest.parse("bytes=1000-", SIZE)).isEqualTo(RangeRequest.UNSATISFIABLE);
        assertThat(RangeRequest.parse("bytes=1000-2000", SIZE)).isEqualTo(RangeRequest.UNSATISFIABLE);
        assertThat(RangeRequest.parse("bytes=99999999999999999999-", SIZE)).isEqualTo(RangeRequest.UNSATISFIABLE);
        assertThat(((RangeRequest.Unsatisfiable) RangeRequest.parse("bytes=5000-", SIZE)).contentRange(SIZE))
                .isEqualTo("bytes */1000");
    }

    @Test
    void aZeroLengthSuffixCannotBeSatisfied() {
        assertThat(RangeRequest.parse("bytes=-0", SIZE)).isEqualTo(RangeRequest.UNSATISFIABLE);
    }

    @Test
    void anEmptyFileHasNoByteToStartAtButASuffixGetsItWhole() {
        assertThat(RangeRequest.parse("bytes=0-", 0)).isEqualTo(RangeRequest.UNSATISFIABLE);
        assertThat(RangeRequest.parse("bytes=0-0", 0)).isEqualTo(RangeRequest.UNSATISFIABLE);
        assertThat(RangeRequest.parse("bytes=-10", 0)).isEqualTo(RangeRequest.FULL);
        assertThat(RangeRequest.parse(null, 0)).isEqualTo(RangeRequest.FULL);
    }

    @Test
    void severalRangesAreAnsweredWithTheWholeFile() {
        assertThat(RangeRequest.parse("bytes=0-1,5-6", SIZE)).isEqualTo(RangeRequest.FULL);
        assertThat(RangeRequest.parse("bytes=0-1, -5", SIZE)).isEqualTo(RangeRequest.FULL);
        assertThat(RangeRequest.parse("bytes=2000-3000,4000-", SIZE)).isEqualTo(RangeRequest.FULL);
    }

    @Test
    void garbageIsIgnored() {
        for (String header : new String[] {"bytes", "bytes=", "bytes=-", "bytes=abc", "bytes=1-a", "bytes=a-1",
                "bytes=5-1", "bytes=1--2", "bytes=-1-2", "bytes=+1-2", "bytes=0x10-", "items=0-10", "=0-10",
                "bytes 0-10", "bytes=１-2", "bytes=1.5-2"}) {
            assertThat(RangeRequest.parse(header, SIZE)).as(header).isEqualTo(RangeRequest.FULL);
        }
    }

    @Test
    void theUnitIsCaseInsensitiveAndSpacesAroundTheSpecAreAllowed() {
        assertThat(RangeRequest.parse("Bytes=0-9", SIZE)).isEqualTo(new Partial(0, 9));
        assertThat(RangeRequest.parse(" bytes = 0 - 9 ", SIZE)).isEqualTo(new Partial(0, 9));
    }
}
