package io.aegis.artifact.blast;

import java.io.IOException;
import java.io.Writer;

/**
 * Commented tabular output ({@code -outfmt 7}) of every batch as one table: each query's comment block
 * ({@code # Query:} the submitted definition line, {@code # Database:} the database's name) and rows
 * (first column, the query id, the submitted id), and one closing {@code # BLAST processed N queries}
 * counting the job's queries (BLAST closes each chunk of queries it searched together with a count of
 * its own, so a batch may close several times: its counts add up to its queries). The columns are {@link io.aegis.artifact.blast.BlastFormat#TABULAR_COLUMNS},
 * the query id first.
 */
public final class CommentedTabularMerger implements BatchMerger {

    private static final String QUERY = "# Query: ";
    private static final String DATABASE = "# Database: ";
    private static final String PROCESSED = "# BLAST processed ";

    private final Writer out;
    private final QueryTitles titles;
    private final String database;
    private int total;
    private boolean endsWithBreak = true;

    public CommentedTabularMerger(Writer out, QueryTitles titles, String database) {
        this.out = out;
        this.titles = titles;
        this.database = database;
    }

    @Override
    public int batch(Lines in, int firstQuery) throws IOException {
        int queries = 0;
        int processed = 0;
        boolean closed = false;
        int query = -1;
        for (String line; (line = in.next()) != null; ) {
            closed = line.startsWith(PROCESSED);
            if (closed) {
                processed += count(line);
                continue;
            }
            if (line.startsWith(QUERY)) {
                query = titles.indexOf(line.substring(QUERY.length()), firstQuery + queries);
                queries++;
                line = QUERY + titles.title(query);
            } else if (line.startsWith(DATABASE)) {
                line = DATABASE + database;
            } else if (!line.startsWith("#")) {
                int tab = line.indexOf('\t');
                if (query < 0) {
                    throw new IOException("A hit row comes before any query in a batch's tabular output");
                }
                titles.indexOf(tab < 0 ? line : line.substring(0, tab), query);
                line = titles.id(query) + (tab < 0 ? "" : line.substring(tab));
            }
            out.write(line);
            out.write('\n');
        }
        if (!closed || processed != queries) {
            throw new IOException("A batch's tabular output " + (!closed ? "ends before its closing count: it is cut short"
                    : "counts " + processed + " queries but shows " + queries));
        }
        endsWithBreak = in.endedWithBreak();
        total += queries;
        return queries;
    }

    @Override
    public void finish() throws IOException {
        out.write(PROCESSED + total + " queries");
        if (endsWithBreak) {
            out.write('\n');
        }
    }

    /**
     * How many queries a batch's commented tabular output shows (every query has its {@code # Query:}
     * line, with hits or without): the size of a batch, for the formats that do not show it (SAM).
     */
    public static int queries(Lines in) throws IOException {
        int queries = 0;
        for (String line; (line = in.next()) != null; ) {
            if (line.startsWith(QUERY)) {
                queries++;
            }
        }
        return queries;
    }

    private static int count(String line) throws IOException {
        String rest = line.substring(PROCESSED.length());
        int space = rest.indexOf(' ');
        try {
            return Integer.parseInt(space < 0 ? rest : rest.substring(0, space));
        } catch (NumberFormatException e) {
            throw new IOException("Unexpected closing line in BLAST's tabular output: " + line);
        }
    }
}
