package io.aegis.artifact.blast;

import java.io.IOException;
import java.io.Writer;

/**
 * BLAST XML ({@code -outfmt 5}) of every batch as one document: the first batch's prolog and
 * {@code BlastOutput_*} header (the job's first query, the database's name in {@code BlastOutput_db}),
 * every batch's {@code <Iteration>}s with {@code Iteration_iter-num} and {@code Iteration_query-ID}
 * ({@code Query_<n>}) counted across the job and {@code Iteration_query-def} the submitted definition
 * line, then the closing tags once.
 *
 * <p>Line by line, on the layout {@code blast_formatter} writes (one element per line, the iterations
 * between the {@code <BlastOutput_iterations>} lines): no XML parser, so nothing but the current line is
 * held; a batch whose output does not close its iterations (cut short) is an error.
 */
public final class XmlMerger implements BatchMerger {

    private static final String ITERATIONS = "<BlastOutput_iterations>";
    private static final String END_ITERATIONS = "</BlastOutput_iterations>";

    private final Writer out;
    private final QueryTitles titles;
    private final String database;
    private final Footer footer = new Footer();
    private int batches;

    public XmlMerger(Writer out, QueryTitles titles, String database) {
        this.out = out;
        this.titles = titles;
        this.database = database;
    }

    @Override
    public int batch(Lines in, int firstQuery) throws IOException {
        boolean first = batches++ == 0;
        boolean header = true;
        boolean ended = false;
        int iterations = 0;
        for (String line; (line = in.next()) != null; ) {
            String element = line.strip();
            if (header) {
                if (first) {
                    out.write(headerLine(line, element));
                    out.write('\n');
                }
                header = !element.equals(ITERATIONS);
            } else if (ended) {
                footer.add(line);
            } else if (element.equals(END_ITERATIONS)) {
                ended = true;
                footer.start(line);
            } else {
                if (element.startsWith("<Iteration_iter-num>")) {
                    iterations++;
                    line = element(line, "Iteration_iter-num", Integer.toString(firstQuery + iterations));
                } else if (element.startsWith("<Iteration_query-ID>")) {
                    line = element(line, "Iteration_query-ID", "Query_" + (firstQuery + iterations));
                } else if (element.startsWith("<Iteration_query-def>")) {
                    int query = titles.indexOf(content(element, "Iteration_query-def"), firstQuery + iterations - 1);
                    line = element(line, "Iteration_query-def", escape(titles.title(query)));
                }
                out.write(line);
                out.write('\n');
            }
        }
        if (!ended) {
            throw new IOException("A batch's BLAST XML ends before " + END_ITERATIONS + ": it is cut short");
        }
        footer.ended(in);
        return iterations;
    }

    private String headerLine(String line, String element) throws IOException {
        if (element.startsWith("<BlastOutput_db>")) {
            return element(line, "BlastOutput_db", escape(database));
        }
        if (element.startsWith("<BlastOutput_query-def>")) {
            return element(line, "BlastOutput_query-def",
                    escape(titles.title(titles.indexOf(content(element, "BlastOutput_query-def"), 0))));
        }
        return line;
    }

    @Override
    public void finish() throws IOException {
        footer.write(out);
    }

    private static String element(String line, String name, String content) {
        return Footer.indented(line, "<" + name + ">" + content + "</" + name + ">");
    }

    private static String content(String element, String name) throws IOException {
        String open = "<" + name + ">";
        String close = "</" + name + ">";
        if (!element.startsWith(open) || !element.endsWith(close)) {
            throw new IOException("Unexpected BLAST XML line: " + element);
        }
        return element.substring(open.length(), element.length() - close.length());
    }

    /** Text as BLAST's XML writer escapes it: the five predefined entities. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&apos;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
