package io.aegis.artifact.blast;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines a batch's output ends with (database statistics, closing tags), kept from batch to batch so
 * that only the last batch's end is written, once, with its final line break or without, as BLAST wrote
 * it. A few lines, whatever the batch's size.
 */
final class Footer {

    private final List<String> lines = new ArrayList<>();
    private boolean endsWithBreak = true;

    void start(String line) {
        lines.clear();
        lines.add(line);
    }

    void add(String line) {
        lines.add(line);
    }

    void ended(Lines in) {
        endsWithBreak = in.endedWithBreak();
    }

    void write(Writer out) throws IOException {
        for (int i = 0; i < lines.size(); i++) {
            out.write(lines.get(i));
            if (i < lines.size() - 1 || endsWithBreak) {
                out.write('\n');
            }
        }
    }

    /** The line with its indentation kept and the rest replaced. */
    static String indented(String line, String rest) {
        int start = 0;
        while (start < line.length() && line.charAt(start) == ' ') {
            start++;
        }
        return line.substring(0, start) + rest;
    }
}
