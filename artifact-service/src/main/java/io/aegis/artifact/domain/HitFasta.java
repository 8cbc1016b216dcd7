package io.aegis.artifact.domain;

import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The rules of a job's hits as FASTA ({@code GET …/results/hits.fasta}): which hits ({@code hits=}),
 * which region ({@code region=}), and how each record is named.
 *
 * <ul>
 *   <li>{@code region=aligned}: one record per hit, in the order of hits.tsv, the subject's aligned
 *       residues ({@code sseq}) without gaps, named {@code >sseqid:sstart-send qseqid} and followed by
 *       the subject's description when the hits have {@code stitle}. A start above its end is the
 *       minus strand, as BLAST writes it. The name is the sequence's, so tools that take
 *       {@code id:from-to} read it; the query says which search found it.</li>
 *   <li>{@code region=full}: one record per subject, in the order of its first hit, as
 *       {@code blastdbcmd} reads it from the database searched, its sequence lines as they are and
 *       its name made the hit's {@code sseqid} again ({@link #renamed}): blastdbcmd names a sequence
 *       of a {@code -parse_seqids} database by its accession ({@code >P69905 …} for the
 *       {@code sp|P69905|HBA_HUMAN} BLAST reports), which would not match the hits.</li>
 * </ul>
 *
 * <p>Residues are written {@value #LINE} to a line, as blastdbcmd writes them.
 */
public final class HitFasta {

    /** The most hits {@code hits=} may name: a chosen set is a handful, not the whole table. */
    public static final int MAX_SELECTED = 1000;
    public static final int LINE = 80;

    /** What of each subject a record holds. */
    public enum Region {
        ALIGNED, FULL;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The region named ({@code aligned} when none is), or empty when the name is no region. */
        public static Optional<Region> named(String name) {
            if (name == null || name.isBlank()) {
                return Optional.of(ALIGNED);
            }
            return Arrays.stream(values()).filter(r -> r.wire().equals(name.strip())).findFirst();
        }
    }

    private HitFasta() {
    }

    /**
     * The hits {@code hits=} names, by their {@code ord}, ascending and each once: an empty list
     * when the parameter is absent or blank (every hit); empty when it is not a comma-separated list of
     * at most {@link #MAX_SELECTED} whole numbers from 0.
     */
    public static Optional<List<Long>> selection(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of(List.of());
        }
        String[] parts = text.split(",", -1);
        if (parts.length > MAX_SELECTED) {
            return Optional.empty();
        }
        TreeSet<Long> ords = new TreeSet<>();
        for (String part : parts) {
            String digits = part.strip();
            if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Optional.empty();
            }
            ords.add(Long.parseLong(digits));
        }
        return Optional.of(List.copyOf(ords));
    }

    /** Writes aligned regions of one job's hits, whose columns it was made for. */
    public static final class Aligned {
        private static final String[] REQUIRED = {"qseqid", "sseqid", "sstart", "send", "sseq"};

        private final int[] at;
        private final int widest;
        private final int stitle;

        private Aligned(List<String> columns) {
            this.at = HitColumns.require(columns, "The aligned regions", REQUIRED);
            this.widest = HitColumns.widest(at);
            this.stitle = columns.indexOf("stitle");
        }

        /** @throws IllegalArgumentException naming the columns missing (sseq among them) */
        public static Aligned of(List<String> columns) {
            return new Aligned(columns);
        }

        /** Whether hits of these columns have aligned regions to write. */
        public static boolean possible(List<String> columns) {
            return columns.containsAll(List.of(REQUIRED));
        }

        /**
         * Writes the record of one hit line.
         *
         * @throws IllegalArgumentException when the line is too short or a coordinate is not a whole number
         */
        public void write(String line, Writer out) throws IOException {
            String[] f = line.split("\t", -1);
            HitColumns.requireWidth(f, widest);
            long start = HitColumns.integer(f, at[2], "sstart");
            long end = HitColumns.integer(f, at[3], "send");
            String title = stitle >= 0 && stitle < f.length ? f[stitle].strip() : "";
            out.write(">" + f[at[1]] + ":" + start + "-" + end + " " + f[at[0]] + (title.isEmpty() ? "" : " " + title) + "\n");
            wrapped(f[at[4]], out);
        }
    }

    /** Writes residues {@value #LINE} to a line, leaving out gaps; nothing at all for none. */
    static void wrapped(String aligned, Writer out) throws IOException {
        int inLine = 0;
        for (int i = 0; i < aligned.length(); i++) {
            char c = aligned.charAt(i);
            if (c == '-') {
                continue;
            }
            out.write(c);
            if (++inLine == LINE) {
                out.write('\n');
                inLine = 0;
            }
        }
        if (inLine > 0) {
            out.write('\n');
        }
    }

    /**
     * A defline blastdbcmd wrote for {@code subject} (as the hits name it), named {@code subject} again,
     * its description kept: {@code >P69905 Hemoglobin} for {@code sp|P69905|HBA_HUMAN} becomes
     * {@code >sp|P69905|HBA_HUMAN Hemoglobin}.
     *
     * @throws IllegalArgumentException when the defline is of another sequence (its id is neither the
     *                                  subject nor one of the subject's {@code |}-separated parts)
     */
    public static String renamed(String defline, String subject) {
        if (!defline.startsWith(">")) {
            throw new IllegalArgumentException("Not a defline: " + defline);
        }
        int space = defline.indexOf(' ');
        String id = space < 0 ? defline.substring(1) : defline.substring(1, space);
        boolean same = id.equals(subject) || Arrays.asList(subject.split("\\|")).contains(id);
        if (id.isEmpty() || !same) {
            throw new IllegalArgumentException("blastdbcmd answered " + id + " where " + subject + " was asked");
        }
        return ">" + subject + (space < 0 ? "" : defline.substring(space));
    }
}
