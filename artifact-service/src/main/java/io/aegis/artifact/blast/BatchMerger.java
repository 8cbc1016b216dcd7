package io.aegis.artifact.blast;

import java.io.IOException;

/**
 * Merges what {@code blast_formatter} printed for each batch of a job into one document, as if one
 * BLAST run had searched the job's whole input: one header and one footer, per-query numbers counted
 * across the job, the submitted query names in place of the batch names ({@link QueryTitles}), and the
 * database's name in place of the server's path to it. A line at a time: memory does not grow with the
 * output. Pure: text in, text out; running the formatter is someone else's.
 */
public interface BatchMerger {

    /**
     * Merges the next batch's output.
     *
     * @param firstQuery the job-wide index (0-based) of the batch's first query
     * @return how many queries the batch's output holds, or -1 when the format does not show queries
     *         without hits (SAM): then the caller knows the batch's size from elsewhere
     */
    int batch(Lines in, int firstQuery) throws IOException;

    /** Ends the document once every batch is merged. */
    void finish() throws IOException;
}
