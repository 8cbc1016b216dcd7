package io.aegis.artifact.blast;

import java.io.IOException;
import java.io.Reader;

/**
 * The lines of a formatter's output, one at a time, without the {@code \n} that ends them, and whether
 * the last one had one: BLAST ends some formats with a line break and others without, and a merged
 * document ends as a single run's would. Holds one line and a 64 KiB buffer, whatever the output's size.
 */
public final class Lines {

    private final Reader in;
    private final char[] buffer = new char[1 << 16];
    private final StringBuilder line = new StringBuilder(256);
    private int position;
    private int limit;
    private boolean ended;
    private boolean lastEndedWithBreak;

    public Lines(Reader in) {
        this.in = in;
    }

    /** The next line without its line break, or null at the end. */
    public String next() throws IOException {
        if (ended) {
            return null;
        }
        line.setLength(0);
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    ended = true;
                    if (line.isEmpty()) {
                        return null;
                    }
                    lastEndedWithBreak = false;
                    return line.toString();
                }
            }
            for (int i = position; i < limit; i++) {
                if (buffer[i] == '\n') {
                    line.append(buffer, position, i - position);
                    position = i + 1;
                    lastEndedWithBreak = true;
                    return line.toString();
                }
            }
            line.append(buffer, position, limit - position);
            position = limit;
        }
    }

    /** Whether the last line read ended with a line break (asked once {@link #next} answered null). */
    public boolean endedWithBreak() {
        return lastEndedWithBreak;
    }
}
