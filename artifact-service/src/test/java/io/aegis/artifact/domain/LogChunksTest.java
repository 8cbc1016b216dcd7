package io.aegis.artifact.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

class LogChunksTest {

    /** Keeps every chunk in memory, by number, and remembers which were closed. */
    private static final class Chunks implements LogChunks.ChunkSink {
        final Map<Integer, ByteArrayOutputStream> written = new LinkedHashMap<>();
        final List<Integer> closed = new ArrayList<>();

        @Override
        public ByteArrayOutputStream open(int number) {
            ByteArrayOutputStream out = new ByteArrayOutputStream() {
                @Override
                public void close() {
                    closed.add(number);
                }
            };
            written.put(number, out);
            return out;
        }

        String text(int number) {
            byte[] gzip = written.get(number).toByteArray();
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String spool(long attempt, long seq, String text) {
        return String.join("\t", Long.toString(attempt), Long.toString(seq), "2025-01-01T00:00:0" + (seq % 10) + "Z",
                "stdout", "worker", "search", text);
    }

    private static LogChunks.Written chunk(Chunks chunks, int linesPerChunk, String... spoolLines) throws IOException {
        return LogChunks.write(new BufferedReader(new StringReader(String.join("\n", spoolLines))), linesPerChunk,
                chunks);
    }

    @Test
    void writesEachLineAsTimeSourceAndTextInSpoolOrder() throws IOException {
        Chunks chunks = new Chunks();
        LogChunks.Written written = chunk(chunks, 5_000, spool(1, 1, "starting"), spool(1, 2, "done"));

        assertThat(written).isEqualTo(new LogChunks.Written(1, 2, 0, 0));
        assertThat(chunks.text(1)).isEqualTo("""
                2025-01-01T00:00:01Z [worker] starting
                2025-01-01T00:00:02Z [worker] done
                """);
    }

    @Test
    void redeliveredLinesAreDroppedPerAttempt() throws IOException {
        Chunks chunks = new Chunks();
        LogChunks.Written written = chunk(chunks, 5_000,
                spool(1, 1, "a"), spool(1, 2, "b"), spool(1, 2, "b"), spool(1, 1, "a"), spool(1, 3, "c"),
                spool(2, 1, "retry a"), spool(2, 1, "retry a"), spool(1, 3, "c"), spool(2, 2, "retry b"));

        assertThat(written).isEqualTo(new LogChunks.Written(1, 5, 4, 0));
        assertThat(chunks.text(1).lines().map(l -> l.substring(l.indexOf("] ") + 2)))
                .containsExactly("a", "b", "c", "retry a", "retry b");
    }

    @Test
    void chunksHoldAtMostTheirLinesAndAreNumberedFromOne() throws IOException {
        Chunks chunks = new Chunks();
        String[] lines = new String[7];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = spool(1, i + 1, "line " + (i + 1));
        }
        LogChunks.Written written = chunk(chunks, 3, lines);

        assertThat(written).isEqualTo(new LogChunks.Written(3, 7, 0, 0));
        assertThat(chunks.written).containsOnlyKeys(1, 2, 3);
        assertThat(chunks.text(1).lines()).hasSize(3).first().asString().endsWith("line 1");
        assertThat(chunks.text(2).lines()).hasSize(3).first().asString().endsWith("line 4");
        assertThat(chunks.text(3).lines()).containsExactly("2025-01-01T00:00:07Z [worker] line 7");
        assertThat(chunks.closed).containsExactly(1, 2, 3);
    }

    @Test
    void aChunkIsKnownByTheNameItIsGiven() {
        assertThat(LogChunks.name(12)).isEqualTo("log-0012.txt.gz");
        assertThat(LogChunks.isChunk(LogChunks.name(12))).isTrue();
        assertThat(LogChunks.isChunk("log-0001.txt")).isFalse();
        assertThat(LogChunks.isChunk("steps.json")).isFalse();
    }

    @Test
    void aSpoolThatFillsTheLastChunkExactlyOpensNoEmptyOne() throws IOException {
        Chunks chunks = new Chunks();
        LogChunks.Written written = chunk(chunks, 2, spool(1, 1, "a"), spool(1, 2, "b"));

        assertThat(written.chunks()).isEqualTo(1);
        assertThat(chunks.written).containsOnlyKeys(1);
    }

    @Test
    void tabsInsideALogLineAreKept() throws IOException {
        Chunks chunks = new Chunks();
        chunk(chunks, 5_000, spool(1, 1, "qseqid\tsseqid\tpident"));

        assertThat(chunks.text(1)).isEqualTo("2025-01-01T00:00:01Z [worker] qseqid\tsseqid\tpident\n");
    }

    @Test
    void chunksAreGzipThatRoundTripsUnicode() throws IOException {
        Chunks chunks = new Chunks();
        chunk(chunks, 5_000, spool(1, 1, "Δ résumé ✓ 𝛼"));

        byte[] bytes = chunks.written.get(1).toByteArray();
        assertThat(bytes[0] & 0xff).isEqualTo(0x1f);
        assertThat(bytes[1] & 0xff).isEqualTo(0x8b);
        assertThat(chunks.text(1)).isEqualTo("2025-01-01T00:00:01Z [worker] Δ résumé ✓ 𝛼\n");
    }

    @Test
    void malformedSpoolLinesAreSkippedAndCountedBlankOnesIgnored() throws IOException {
        Chunks chunks = new Chunks();
        LogChunks.Written written = chunk(chunks, 5_000,
                "1\t1\ttoo short",
                "",
                "one\t1\tat\tstdout\tworker\tsearch\tnot an attempt",
                "1\tx\tat\tstdout\tworker\tsearch\tnot a seq",
                spool(1, 1, "kept"),
                "1\t2\t2025-01-01T00:00:09Z\tstdout\tw");

        assertThat(written).isEqualTo(new LogChunks.Written(1, 1, 0, 4));
        assertThat(chunks.text(1)).endsWith("[worker] kept\n");
    }

    @Test
    void anEmptySpoolWritesNoChunk() throws IOException {
        Chunks chunks = new Chunks();
        assertThat(chunk(chunks, 5_000, "")).isEqualTo(new LogChunks.Written(0, 0, 0, 0));
        assertThat(chunks.written).isEmpty();
    }

    @Test
    void chunkNamesSortInOrder() {
        assertThat(LogChunks.name(1)).isEqualTo("log-0001.txt.gz");
        assertThat(LogChunks.name(42)).isEqualTo("log-0042.txt.gz");
    }

    @Test
    void aChunkSizeBelowOneIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> chunk(new Chunks(), 0, spool(1, 1, "a")));
    }
}
