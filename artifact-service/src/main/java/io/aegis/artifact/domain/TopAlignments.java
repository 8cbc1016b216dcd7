package io.aegis.artifact.domain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Renders the first {@code perQuery} hits of each query as BLAST-style pairwise alignments, reading
 * hits.tsv one line at a time (it is grouped by query, best hit first, as BLAST writes it):
 *
 * <pre>
 * Query= q1
 *
 * &gt; sp|P69905|HBA_HUMAN
 *  Score = 285 bits, Expect = 2e-99, Identities = 98.6%, Length = 142
 *
 * Query  1    MVLSPADKTNVKAAWGKVGAHAGEYGAEALERMFLSFPTTKTYFPHFDLSHGSAQVKGHG  60
 *             MVLSPADKTNVKAAWGKVGAHAGEYGAEALERMFLSFPTTKTYFPHF LSHGSAQVKGHG
 * Sbjct  1    MVLSPADKTNVKAAWGKVGAHAGEYGAEALERMFLSFPTTKTYFPHFDLSHGSAQVKGHG  60
 * </pre>
 *
 * <p>Blocks are 60 columns wide; the midline shows the residue where query and subject agree and a
 * space elsewhere. Coordinates count residues, never gaps, and run downwards when a start is above
 * its end (the minus strand of a nucleotide sequence). Where a span is three times its residues
 * (a translated sequence in blastx, tblastn, tblastx), each residue counts three positions. Score,
 * e-value and identity are shown as BLAST wrote them. Memory holds one line at a time.
 */
public final class TopAlignments {

    public static final int DEFAULT_PER_QUERY = 10;
    public static final int BLOCK = 60;

    /** What was written: queries with at least one alignment, and alignments in all. */
    public record Written(int queries, long alignments) {
    }

    private static final String[] REQUIRED = {"qseqid", "sseqid", "pident", "length", "qstart", "qend",
        "sstart", "send", "evalue", "bitscore", "qseq", "sseq"};

    /** Positions in {@link #REQUIRED}, so in {@code at}. */
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
    private final int perQuery;

    private TopAlignments(int[] at, int perQuery) {
        if (perQuery < 1) {
            throw new IllegalArgumentException("perQuery must be at least 1, was " + perQuery);
        }
        this.at = at;
        this.widest = HitColumns.widest(at);
        this.perQuery = perQuery;
    }

    /**
     * Alignments of the first {@link #DEFAULT_PER_QUERY} hits per query.
     *
     * @throws IllegalArgumentException when a column needed is missing (qseq and sseq among them)
     */
    public static TopAlignments forColumns(List<String> columns) {
        return forColumns(columns, DEFAULT_PER_QUERY);
    }

    /**
     * @param perQuery how many hits of each query to render (at least 1)
     * @throws IllegalArgumentException when a column needed is missing or {@code perQuery} is below 1
     */
    public static TopAlignments forColumns(List<String> columns, int perQuery) {
        return new TopAlignments(HitColumns.require(columns, "The alignments", REQUIRED), perQuery);
    }

    /**
     * Reads hit lines to their end (blank lines and {@code #} comments skipped) and writes the
     * alignments; the writer is left open and unflushed.
     *
     * @throws IllegalArgumentException when a line is too short, a coordinate is not a number, or
     *                                  its aligned sequences differ in length
     */
    public Written write(BufferedReader hits, Writer out) throws IOException {
        String current = null;
        int inQuery = 0;
        int queries = 0;
        long alignments = 0;
        String line;
        while ((line = hits.readLine()) != null) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            HitColumns.requireWidth(fields, widest);
            String query = fields[at[QSEQID]];
            if (!query.equals(current)) {
                current = query;
                inQuery = 0;
                queries++;
                out.write("Query= " + query + "\n\n");
            }
            if (inQuery < perQuery) {
                writeHit(fields, out);
                inQuery++;
                alignments++;
            }
        }
        return new Written(queries, alignments);
    }

    private void writeHit(String[] f, Writer out) throws IOException {
        String qseq = f[at[QSEQ]];
        String sseq = f[at[SSEQ]];
        if (qseq.length() != sseq.length()) {
            throw new IllegalArgumentException("The aligned sequences of " + f[at[QSEQID]] + " and "
                    + f[at[SSEQID]] + " differ in length (" + qseq.length() + " and " + sseq.length() + ")");
        }
        Strand query = Strand.of(qseq,
                HitColumns.integer(f, at[QSTART], "qstart"), HitColumns.integer(f, at[QEND], "qend"));
        Strand subject = Strand.of(sseq,
                HitColumns.integer(f, at[SSTART], "sstart"), HitColumns.integer(f, at[SEND], "send"));
        int width = Math.max(query.width(), subject.width());

        out.write("> " + f[at[SSEQID]] + "\n");
        out.write(" Score = " + f[at[BITSCORE]] + " bits, Expect = " + f[at[EVALUE]]
                + ", Identities = " + f[at[PIDENT]] + "%, Length = " + f[at[LENGTH]] + "\n\n");
        for (int from = 0; from < qseq.length(); from += BLOCK) {
            int to = Math.min(from + BLOCK, qseq.length());
            String q = qseq.substring(from, to);
            String s = sseq.substring(from, to);
            out.write(row("Query", query.next(q), q, width));
            out.write(" ".repeat("Query  ".length() + width + 2) + midline(q, s) + "\n");
            out.write(row("Sbjct", subject.next(s), s, width));
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
