package io.aegis.artifact.domain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Renders the first {@code perQuery} hits of each query as BLAST-style pairwise alignments, each under
 * its query's name, reading hits.tsv one line at a time (it is grouped by query, best hit first, as
 * BLAST writes it):
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
 * <p>Each hit is drawn by {@link PairwiseAlignment}, the rule the API's alignment of a single hit
 * follows too. Memory holds one line at a time.
 */
public final class TopAlignments {

    public static final int DEFAULT_PER_QUERY = 10;
    public static final int BLOCK = PairwiseAlignment.BLOCK;

    /** What was written: queries with at least one alignment, and alignments in all. */
    public record Written(int queries, long alignments) {
    }

    private final PairwiseAlignment.Columns columns;
    private final int perQuery;

    private TopAlignments(PairwiseAlignment.Columns columns, int perQuery) {
        if (perQuery < 1) {
            throw new IllegalArgumentException("perQuery must be at least 1, was " + perQuery);
        }
        this.columns = columns;
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
        return new TopAlignments(PairwiseAlignment.Columns.of(columns), perQuery);
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
            String query = columns.queryId(fields);
            if (!query.equals(current)) {
                current = query;
                inQuery = 0;
                queries++;
                out.write(heading(query));
            }
            if (inQuery < perQuery) {
                columns.read(fields).write(out);
                inQuery++;
                alignments++;
            }
        }
        return new Written(queries, alignments);
    }

    /** The line (and blank line) a query's alignments stand under. */
    public static String heading(String query) {
        return "Query= " + query + "\n\n";
    }
}
