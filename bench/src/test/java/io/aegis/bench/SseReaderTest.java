package io.aegis.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {

    private static final String STREAM = """
            retry: 1000

            id: 0-0
            event: snapshot
            data: {"id":"j","status":"RUNNING"}

            : keepalive

            id: 1796-1
            event: log
            data: {"jobId":"j","seq":42,"line":"Searching … batch 1"}

            """;

    @Test
    void eventsComeWholeHoweverTheBytesAreCut() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut <= bytes.length; cut++) {
            List<SseReader.Event> events = new ArrayList<>();
            SseReader reader = new SseReader(events::add);
            for (int from = 0; from < bytes.length; from += cut) {
                byte[] chunk = new byte[Math.min(cut, bytes.length - from)];
                System.arraycopy(bytes, from, chunk, 0, chunk.length);
                reader.feed(chunk);
            }
            assertThat(events).as("chunks of %d bytes", cut).containsExactly(
                    new SseReader.Event("0-0", "snapshot", "{\"id\":\"j\",\"status\":\"RUNNING\"}"),
                    new SseReader.Event("1796-1", "log", "{\"jobId\":\"j\",\"seq\":42,\"line\":\"Searching … batch 1\"}"));
        }
    }

    @Test
    void dataOverSeveralLinesIsJoinedAndCarriageReturnsAreDropped() {
        List<SseReader.Event> events = new ArrayList<>();
        new SseReader(events::add).feed("event: log\r\ndata: a\r\ndata: b\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(events).containsExactly(new SseReader.Event(null, "log", "a\nb"));
    }

    @Test
    void theSeqOfALineIsReadFromItsJson() {
        assertThat(SseReader.seq("{\"schema\":1,\"seq\":1234567,\"step\":\"search\"}")).isEqualTo(1_234_567);
        assertThat(SseReader.seq("{\"seq\": 7}")).isEqualTo(7);
        assertThat(SseReader.seq("{\"count\":3}")).isEqualTo(-1);
    }
}
