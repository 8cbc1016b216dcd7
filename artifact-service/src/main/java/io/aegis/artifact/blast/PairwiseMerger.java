package io.aegis.artifact.blast;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Pairwise text ({@code -outfmt 0}) of every batch as one report: the first batch's header (program,
 * references, database), every query's section with its {@code Query=} line showing the submitted
 * definition line (wrapped as BLAST wraps it, {@link #wrap}), and the last batch's footer (the database's
 * statistics and the search's parameters) once. A {@code Database:} line that shows the server's path to
 * the database shows its name instead (BLAST shows the database's title there; Aegis titles a database
 * by its name, so it is the name already).
 *
 * <p>BLAST searches a batch's queries in chunks of its own (by residues) and closes each chunk with the
 * database's statistics and opens the next with the header again; a search of the whole input closes
 * once. So within a batch, too, only the last closing counts: a {@code Query=} after a closing drops it
 * and the header that followed it.
 */
public final class PairwiseMerger implements BatchMerger {

    private static final String QUERY = "Query= ";
    /** Where the footer starts: the database's statistics after the last query. */
    private static final String FOOTER = "  Database: ";
    /** BLAST wraps a query's definition line at 68 characters after {@code "Query= "}. */
    static final int WIDTH = 68;

    private final Writer out;
    private final QueryTitles titles;
    private final String database;
    private final String databasePath;
    private final Footer footer = new Footer();
    private int batches;

    public PairwiseMerger(Writer out, QueryTitles titles, String database, String databasePath) {
        this.out = out;
        this.titles = titles;
        this.database = database;
        this.databasePath = databasePath;
    }

    @Override
    public int batch(Lines in, int firstQuery) throws IOException {
        boolean first = batches++ == 0;
        boolean header = true;
        boolean ended = false;
        int queries = 0;
        for (String line; (line = in.next()) != null; ) {
            if (header && !line.startsWith(QUERY)) {
                if (first) {
                    out.write(database(line));
                    out.write('\n');
                }
                continue;
            }
            header = false;
            if (ended && line.startsWith(QUERY)) {
                ended = false;   // the closing of one of BLAST's chunks, and the next chunk's header: dropped
            }
            if (ended) {
                footer.add(database(line));
            } else if (line.startsWith(FOOTER)) {
                ended = true;
                footer.start(database(line));
            } else if (line.startsWith(QUERY)) {
                int query = titles.indexOf(line.substring(QUERY.length()).strip(), firstQuery + queries);
                queries++;
                List<String> wrapped = wrap(titles.title(query), WIDTH);
                for (int i = 0; i < wrapped.size(); i++) {
                    out.write(i == 0 ? QUERY + wrapped.get(i) : wrapped.get(i));
                    out.write('\n');
                }
            } else {
                out.write(line);
                out.write('\n');
            }
        }
        if (!ended) {
            throw new IOException("A batch's pairwise output ends before the database's statistics: it is cut short");
        }
        footer.ended(in);
        return queries;
    }

    @Override
    public void finish() throws IOException {
        footer.write(out);
    }

    /** A {@code Database:} line with the server's path to the database shows the database's name. */
    private String database(String line) {
        String label = "Database: ";
        int at = line.indexOf(label);
        if (at >= 0 && at == line.length() - line.stripLeading().length()
                && line.substring(at + label.length()).equals(databasePath)) {
            return line.substring(0, at + label.length()) + database;
        }
        return line;
    }

    /**
     * Words wrapped into lines of at most {@code width} characters, as BLAST wraps a definition line: at
     * spaces, and a word longer than a line cut where the line ends.
     */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" +")) {
            if (word.isEmpty()) {
                continue;
            }
            if (!line.isEmpty() && line.length() + 1 + word.length() <= width) {
                line.append(' ').append(word);
                continue;
            }
            if (!line.isEmpty()) {
                lines.add(line.toString());
                line.setLength(0);
            }
            while (word.length() > width) {
                lines.add(word.substring(0, width));
                word = word.substring(width);
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
