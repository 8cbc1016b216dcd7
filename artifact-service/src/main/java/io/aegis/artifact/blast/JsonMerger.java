package io.aegis.artifact.blast;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.Writer;

/**
 * BLAST JSON ({@code -outfmt 15}) of every batch as one {@code BlastOutput2} array: one report per
 * query, in job order, {@code query_id} ({@code Query_<n>}) counted across the job, {@code query_title}
 * the submitted definition line and {@code search_target.db} the database's name.
 *
 * <p>Line by line, on the layout {@code blast_formatter} writes (one member per line, reports separated
 * by a {@code ,} line, the array opened and closed by unindented lines): nothing but the current line is
 * held, and the reports keep BLAST's own layout. A batch whose array is not closed (cut short) is an error.
 */
public final class JsonMerger implements BatchMerger {

    private static final String OPEN = "\"BlastOutput2\": [";

    private final Writer out;
    private final QueryTitles titles;
    private final String database;
    private final Footer footer = new Footer();
    private int batches;

    public JsonMerger(Writer out, QueryTitles titles, String database) {
        this.out = out;
        this.titles = titles;
        this.database = database;
    }

    @Override
    public int batch(Lines in, int firstQuery) throws IOException {
        boolean first = batches++ == 0;
        boolean header = true;
        boolean ended = false;
        int reports = 0;
        for (String line; (line = in.next()) != null; ) {
            String member = line.strip();
            if (header) {
                if (first) {
                    out.write(line);
                    out.write('\n');
                }
                header = !line.equals(OPEN);
                if (!header && !first) {
                    out.write(",\n");
                }
            } else if (ended) {
                footer.add(line);
            } else if (line.equals("]")) {
                ended = true;
                footer.start(line);
            } else {
                if (member.startsWith("\"query_id\": ")) {
                    reports++;
                    line = Footer.indented(line, "\"query_id\": " + quote("Query_" + (firstQuery + reports)) + comma(member));
                } else if (member.startsWith("\"query_title\": ")) {
                    int query = titles.indexOf(unquote(member, "query_title"), firstQuery + reports - 1);
                    line = Footer.indented(line, "\"query_title\": " + quote(titles.title(query)) + comma(member));
                } else if (member.startsWith("\"db\": ")) {
                    line = Footer.indented(line, "\"db\": " + quote(database) + comma(member));
                }
                out.write(line);
                out.write('\n');
            }
        }
        if (!ended) {
            throw new IOException("A batch's BLAST JSON ends before its report array does: it is cut short");
        }
        footer.ended(in);
        return reports;
    }

    @Override
    public void finish() throws IOException {
        footer.write(out);
    }

    private static String comma(String member) {
        return member.endsWith(",") ? "," : "";
    }

    /** The batch's own value of a member whose value is a batch name ({@code Q<n>}: nothing escaped). */
    private static String unquote(String member, String name) throws IOException {
        String value = member.substring(name.length() + 4);
        if (value.endsWith(",")) {
            value = value.substring(0, value.length() - 1);
        }
        if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
            throw new IOException("Unexpected BLAST JSON line: " + member);
        }
        return value.substring(1, value.length() - 1);
    }

    static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }
}
