package io.aegis.artifact.domain;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * One hit as a BLAST-style pairwise alignment: the one place the drawing rule lives, for
 * {@code alignments.txt} ({@link TopAlignments}) and for the alignment of any single hit the API serves.
 *
 * <pre>
 * &gt; sp|P69905|HBA_HUMAN Hemoglobin subunit alpha
 *  Score = 285 bits, Expect = 2e-99, Identities = 98.6%, Length = 142
 *
 * Query  1    MVLSPADKTNVKAAWGKVGAHAGEYGAEALERMFLSFPTTKTYFPHFDLSHGSAQVKGHG  60
 *             MVLSPADKTNVKAAWGKVGAHAGEYGAEALERMFLSFPTTKTYFPHF LSHGSAQVKGHG
 * Sbjct  1    MVLSPADKTNVKAAWGKVGAHAGEYGAEALERMFLSFPTTKTYFPHFDLSHGSAQVKGHG  60
 * </pre>
 *
 * <p>Blocks are {@value #BLOCK} columns wide; the midline shows the residue where query and subject agree
 * and a space elsewhere. Coordinates count residues, never gaps, and run downwards when a start is above
 * its end (the minus strand of a nucleotide sequence). Where a span is three times its residues (a
 * translated sequence in blastx, tblastn, tblastx), each residue counts three positions. Score, e-value
 * and identity are shown as BLAST wrote them; the subject's description ({@code stitle}) follows its id
 * when the hits have one.
 *
 * @param description   the subject's title, null when the hits have no {@code stitle} (or it is empty)
 * @param queryLength   {@code qlen} as written, null when the hits have none; likewise the subject's
 *                      {@code slen} and the query coverage {@code qcovs}
 */
public record PairwiseAlignment(String queryId, String subjectId, String description, String identity, String length,
                                long queryStart, long queryEnd, long subjectStart, long subjectEnd, String evalue,
                                String bitscore, String query, String subject, String queryLength,
                                String subjectLength, String queryCoverage) {

    public static final int BLOCK = 60;

    /** The columns a pairwise alignment is drawn from; the hits of a job without any of them have none. */
    static final List<String> REQUIRED = List.of("qseqid", "sseqid", "pident", "length", "qstart", "qend",
            "sstart", "send", "evalue", "bitscore", "qseq", "sseq");

    public PairwiseAlignment {
        if (query.length() != subject.length()) {
            throw new IllegalArgumentException("The aligned sequences of " + queryId + " and " + subjectId
                    + " differ in length (" + query.length() + " and " + subject.length() + ")");
        }
    }

    /** Whether hits of these columns can be drawn at all (they have every {@link #REQUIRED} one, qseq and sseq among them). */
    public static boolean drawable(List<String> columns) {
        return columns.containsAll(REQUIRED);
    }

    /** Where each column of an alignment is in a hit line of one job's columns. */
    public static final class Columns {
        private static final int QSEQID = 0;
        private static final int SSEQID = 1;
        private static final int PIDENT = 2;
        private static final int LENGTH = 3;
        private static final int QSTART = 4;
        private static final int QEND = 5;
        private static final int SSTART = 6;
        private static final int SEND = 7;
        private static final int EVALUE = 8;
        private static final int BITSCORE = 9;
        private static final int QSEQ = 10;
        private static final int SSEQ = 11;

        private final int[] at;
        private final int widest;
        private final int stitle;
        private final int qlen;
        private final int slen;
        private final int qcovs;

        private Columns(List<String> columns) {
            this.at = HitColumns.require(columns, "The alignments", REQUIRED.toArray(String[]::new));
            this.widest = HitColumns.widest(at);
            this.stitle = columns.indexOf("stitle");
            this.qlen = columns.indexOf("qlen");
            this.slen = columns.indexOf("slen");
            this.qcovs = columns.indexOf("qcovs");
        }

        /** @throws IllegalArgumentException naming every {@link #REQUIRED} column missing */
        public static Columns of(List<String> columns) {
            return new Columns(columns);
        }

        /**
         * The alignment of one split hit line.
         *
         * @throws IllegalArgumentException when the line is too short, a coordinate is not a whole number,
         *                                  or its aligned sequences differ in length
         */
        public PairwiseAlignment read(String[] f) {
            HitColumns.requireWidth(f, widest);
            String title = optional(f, stitle);
            return new PairwiseAlignment(f[at[QSEQID]], f[at[SSEQID]], title == null || title.isBlank() ? null : title,
                    f[at[PIDENT]], f[at[LENGTH]],
                    HitColumns.integer(f, at[QSTART], "qstart"), HitColumns.integer(f, at[QEND], "qend"),
                    HitColumns.integer(f, at[SSTART], "sstart"), HitColumns.integer(f, at[SEND], "send"),
                    f[at[EVALUE]], f[at[BITSCORE]], f[at[QSEQ]], f[at[SSEQ]],
                    optional(f, qlen), optional(f, slen), optional(f, qcovs));
        }

        /** The query of a split hit line, read as the alignments group hits. */
        String queryId(String[] fields) {
            HitColumns.requireWidth(fields, widest);
            return fields[at[QSEQID]];
        }

        private static String optional(String[] fields, int index) {
            return index >= 0 && index < fields.length ? fields[index] : null;
        }
    }

    /** The midline: the query's residue where both sequences agree (case aside), a space elsewhere. */
    public String midline() {
        return midline(query, subject);
    }

    /** Draws this alignment: its header, its score line, then the blocks, each followed by a blank line. */
    public void write(Writer out) throws IOException {
        Strand q = Strand.of(query, queryStart, queryEnd);
        Strand s = Strand.of(subject, subjectStart, subjectEnd);
        int width = Math.max(q.width(), s.width());
        out.write("> " + subjectId + (description == null ? "" : " " + description) + "\n");
        out.write(" Score = " + bitscore + " bits, Expect = " + evalue
                + ", Identities = " + identity + "%, Length = " + length + "\n\n");
        for (int from = 0; from < query.length(); from += BLOCK) {
            int to = Math.min(from + BLOCK, query.length());
            String qb = query.substring(from, to);
            String sb = subject.substring(from, to);
            out.write(row("Query", q.next(qb), qb, width));
            out.write(" ".repeat("Query  ".length() + width + 2) + midline(qb, sb) + "\n");
            out.write(row("Sbjct", s.next(sb), sb, width));
            out.write("\n");
        }
    }

    private static String row(String label, long[] span, String residues, int width) {
        String start = Long.toString(span[0]);
        return label + "  " + start + " ".repeat(width - start.length() + 2) + residues + "  " + span[1] + "\n";
    }

    static String midline(String query, String subject) {
        StringBuilder mid = new StringBuilder(query.length());
        for (int i = 0; i < query.length(); i++) {
            char q = query.charAt(i);
            boolean same = q != '-' && Character.toUpperCase(q) == Character.toUpperCase(subject.charAt(i));
            mid.append(same ? q : ' ');
        }
        return mid.toString();
    }

    /** Walks one sequence's coordinates block by block: {@code step} positions per residue, up or down. */
    private static final class Strand {
        private final int direction;
        private final int step;
        private final int width;
        private long next;

        private Strand(long start, int direction, int step, int width) {
            this.next = start;
            this.direction = direction;
            this.step = step;
            this.width = width;
        }

        static Strand of(String aligned, long start, long end) {
            long residues = aligned.chars().filter(c -> c != '-').count();
            long span = Math.abs(end - start) + 1;
            int step = residues > 0 && span == 3 * residues ? 3 : 1;
            int width = Math.max(Long.toString(start).length(), Long.toString(end).length());
            return new Strand(start, start <= end ? 1 : -1, step, width);
        }

        int width() {
            return width;
        }

        /** The first and last position of this block; a block of gaps only shows where the sequence stands. */
        long[] next(String block) {
            long residues = block.chars().filter(c -> c != '-').count();
            long first = next;
            next += direction * step * residues;
            return residues == 0 ? new long[] {first, first - direction} : new long[] {first, next - direction};
        }
    }
}
