package io.aegis.sequences;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Parsing and writing FASTA: the one implementation every service uses. */
public final class Fasta {

    /**
     * Limits a parse enforces as it goes, so oversized input is refused early.
     *
     * @param maxIdLength the longest sequence id: BLAST copies a query's id into every one of its hits
     */
    public record Limits(int maxSequences, int maxSequenceLength, int maxIdLength) {

        public static final Limits NONE = new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    public static List<FastaRecord> parse(String text) {
        return parse(text, Limits.NONE);
    }

    /**
     * Parses FASTA text: {@code >} header lines, sequences wrapped over any number of lines, blank
     * lines and {@code \r\n} tolerated. Sequence ids (the header's first word) must be unique and hold
     * no control character; residues must be letters, {@code *} or {@code -}, and a sequence must hold
     * at least one letter.
     */
    public static List<FastaRecord> parse(String text, Limits limits) {
        List<FastaRecord> records = new ArrayList<>();
        try {
            read(new StringReader(text), limits, records::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    /**
     * Reads FASTA by the rules of {@link #parse(String, Limits)}, handing over each record as soon as it
     * is complete, so input of any size is checked without holding it: memory grows with the longest
     * sequence and the number of ids (kept to refuse a repeated one), not with the input.
     *
     * @throws FastaException at the first rule the input breaks, before later records are read
     * @throws IOException    when the reader fails
     */
    public static void read(Reader in, Limits limits, Consumer<FastaRecord> each) throws IOException {
        Set<String> ids = new HashSet<>();
        Lines lines = new Lines(in);
        int count = 0;
        String id = null;
        String description = null;
        StringBuilder sequence = new StringBuilder();
        int lineNumber = 0;
        for (String raw = lines.next(); raw != null; raw = lines.next()) {
            lineNumber++;
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.charAt(0) == '>') {
                if (id != null) {
                    each.accept(finish(id, description, sequence));
                    count++;
                }
                if (count >= limits.maxSequences()) {
                    throw new FastaException("TOO_MANY_SEQUENCES",
                            "More than " + limits.maxSequences() + " sequences; split the input into several jobs.");
                }
                String header = line.substring(1).strip();
                if (header.isEmpty()) {
                    throw new FastaException("INVALID_FASTA", "Line " + lineNumber + ": a header without a sequence id.");
                }
                int space = indexOfWhitespace(header);
                id = space < 0 ? header : header.substring(0, space);
                int control = indexOfControl(id);
                if (control >= 0) {
                    // an id is copied into every hit (hits.tsv, hits.json): a terminal escape there would run
                    // wherever the results are shown
                    throw new FastaException("INVALID_FASTA", "Line " + lineNumber + ": the sequence id holds the control "
                            + "character " + describe(id.charAt(control)) + "; ids are copied into every hit.");
                }
                if (id.length() > limits.maxIdLength()) {
                    throw new FastaException("ID_TOO_LONG", "Line " + lineNumber + ": a sequence id of " + id.length()
                            + " characters; at most " + limits.maxIdLength() + " are allowed (the rest of the header, after a space, may be longer).");
                }
                description = space < 0 ? "" : header.substring(space + 1).strip();
                if (!ids.add(id)) {
                    throw new FastaException("INVALID_FASTA", "Line " + lineNumber + ": sequence id '" + id + "' appears twice.");
                }
                sequence.setLength(0);
            } else {
                if (id == null) {
                    throw new FastaException("INVALID_FASTA",
                            "Line " + lineNumber + ": FASTA must start with a '>' header line.");
                }
                appendResidues(sequence, line, lineNumber, id);
                if (sequence.length() > limits.maxSequenceLength()) {
                    throw new FastaException("SEQUENCE_TOO_LONG", "Sequence '" + id + "' is longer than "
                            + limits.maxSequenceLength() + " residues.");
                }
            }
        }
        if (id != null) {
            each.accept(finish(id, description, sequence));
            count++;
        }
        if (count == 0) {
            throw new FastaException("INVALID_FASTA", "No sequences: FASTA starts with a '>' header line.");
        }
    }

    /** Records as FASTA text, 80 residues per line. */
    public static String write(List<FastaRecord> records) {
        StringBuilder out = new StringBuilder();
        records.forEach(r -> out.append(r.toFasta(80)));
        return out.toString();
    }

    private static FastaRecord finish(String id, String description, StringBuilder sequence) {
        if (sequence.isEmpty()) {
            throw new FastaException("INVALID_FASTA", "Sequence '" + id + "' is empty.");
        }
        if (!holdsLetter(sequence)) {
            // stops and gaps alone are nothing to search: no tool takes them as a sequence
            throw new FastaException("INVALID_FASTA", "Sequence '" + id
                    + "' holds no residue letter, only '*' or '-'.");
        }
        return new FastaRecord(id, description, sequence.toString());
    }

    private static boolean holdsLetter(CharSequence sequence) {
        for (int i = 0; i < sequence.length(); i++) {
            char c = sequence.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return true;
            }
        }
        return false;
    }

    /**
     * The first C0 or C1 control character or DEL in {@code s}, or -1: the characters {@code events}'
     * {@code ControlCharacters} refuses in any name taken from outside (this module depends on nothing).
     */
    private static int indexOfControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7F && c <= 0x9F) {
                return i;
            }
        }
        return -1;
    }

    /** A character as a message shows it: printable ones quoted, others by code point, never raw. */
    private static String describe(char c) {
        return c > 0x20 && c < 0x7F || Character.isLetterOrDigit(c)
                ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private static void appendResidues(StringBuilder sequence, String line, int lineNumber, String id) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '*' || c == '-')) {
                throw new FastaException("INVALID_FASTA", "Line " + lineNumber + " (sequence '" + id
                        + "'): " + describe(c) + " is not a residue letter.");
            }
            sequence.append(Character.toUpperCase(c));
        }
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Lines split at {@code \n} only, as {@code text.split("\n", -1)} splits them; a lone {@code \r} stays in its line. */
    private static final class Lines {

        private final Reader in;
        private final char[] buffer = new char[1 << 16];
        private final StringBuilder line = new StringBuilder();
        private int position;
        private int limit;
        private boolean ended;

        Lines(Reader in) {
            this.in = in;
        }

        /** The next line without its {@code \n}, or null after the last one (which may be empty). */
        String next() throws IOException {
            if (ended) {
                return null;
            }
            line.setLength(0);
            while (true) {
                if (position == limit) {
                    limit = in.read(buffer);
                    position = 0;
                    if (limit < 0) {
                        limit = 0;
                        ended = true;
                        return line.toString();
                    }
                }
                for (int i = position; i < limit; i++) {
                    if (buffer[i] == '\n') {
                        line.append(buffer, position, i - position);
                        position = i + 1;
                        return line.toString();
                    }
                }
                line.append(buffer, position, limit - position);
                position = limit;
            }
        }
    }

    private Fasta() {
    }
}
