package io.aegis.artifact.domain;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Turns a job's log spool into ordered, gzip-compressed chunks of at most {@code linesPerChunk}
 * lines each, reading one spool line at a time.
 *
 * <p>A spool line is {@code attempt \t seq \t at \t stream \t source \t step \t line}; the log line
 * is the last field and may itself hold tabs. Lines keep their spool order. Within an attempt, a
 * {@code seq} not above the highest seen so far is a redelivery and is dropped. Lines too short or
 * with an attempt or seq that is not a whole number are skipped and counted; blank lines are
 * ignored. Each chunk line reads {@code at [source] line}, UTF-8. Memory holds one line and the
 * highest seq of each attempt.
 */
public final class LogChunks {

    public static final int DEFAULT_LINES_PER_CHUNK = 5_000;

    /** Where chunk {@code number} (1-based) goes; LogChunks writes it and closes the stream. */
    @FunctionalInterface
    public interface ChunkSink {
        OutputStream open(int number) throws IOException;
    }

    /** What was written, and what was left out: redeliveries and malformed spool lines. */
    public record Written(int chunks, long lines, long redelivered, long malformed) {
    }

    private static final int FIELDS = 7;

    /** The artifact name of chunk {@code number}: {@code log-0001.txt.gz}, {@code log-0002.txt.gz}, … */
    public static String name(int number) {
        return "log-%04d.txt.gz".formatted(number);
    }

    /** Whether {@code name} is a chunk's artifact name. */
    public static boolean isChunk(String name) {
        return name.startsWith("log-") && name.endsWith(".txt.gz");
    }

    /** Chunks of {@link #DEFAULT_LINES_PER_CHUNK} lines. */
    public static Written write(BufferedReader spool, ChunkSink sink) throws IOException {
        return write(spool, DEFAULT_LINES_PER_CHUNK, sink);
    }

    /**
     * Reads the spool to its end and writes its chunks; no lines, no chunk.
     *
     * @throws IllegalArgumentException when {@code linesPerChunk} is below 1
     */
    public static Written write(BufferedReader spool, int linesPerChunk, ChunkSink sink) throws IOException {
        if (linesPerChunk < 1) {
            throw new IllegalArgumentException("linesPerChunk must be at least 1, was " + linesPerChunk);
        }
        Map<Long, Long> highestSeq = new HashMap<>();
        Writer chunk = null;
        int chunks = 0;
        int inChunk = 0;
        long lines = 0;
        long redelivered = 0;
        long malformed = 0;
        try {
            String raw;
            while ((raw = spool.readLine()) != null) {
                if (raw.isBlank()) {
                    continue;
                }
                SpoolLine line = SpoolLine.parse(raw);
                if (line == null) {
                    malformed++;
                    continue;
                }
                Long highest = highestSeq.get(line.attempt());
                if (highest != null && line.seq() <= highest) {
                    redelivered++;
                    continue;
                }
                highestSeq.put(line.attempt(), line.seq());

                if (chunk == null || inChunk == linesPerChunk) {
                    if (chunk != null) {
                        chunk.close();
                    }
                    chunk = open(sink, ++chunks);
                    inChunk = 0;
                }
                chunk.write(line.at() + " [" + line.source() + "] " + line.text() + "\n");
                inChunk++;
                lines++;
            }
        } finally {
            if (chunk != null) {
                chunk.close();
            }
        }
        return new Written(chunks, lines, redelivered, malformed);
    }

    private static Writer open(ChunkSink sink, int number) throws IOException {
        OutputStream target = sink.open(number);
        try {
            return new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(target, 8192),
                    StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            target.close();
            throw e;
        }
    }

    /** One spooled event; {@code null} from {@link #parse} when the line does not have that shape. */
    record SpoolLine(long attempt, long seq, String at, String source, String text) {

        static SpoolLine parse(String raw) {
            String[] fields = raw.split("\t", FIELDS);
            if (fields.length < FIELDS) {
                return null;
            }
            try {
                return new SpoolLine(Long.parseLong(fields[0]), Long.parseLong(fields[1]), fields[2], fields[4],
                        fields[6]);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    private LogChunks() {
    }
}
