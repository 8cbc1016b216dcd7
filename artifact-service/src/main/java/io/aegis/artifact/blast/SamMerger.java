package io.aegis.artifact.blast;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.HashSet;
import java.util.Set;

/**
 * SAM ({@code -outfmt 17}, blastn only) of every batch as one file. BLAST's SAM takes each query as a
 * reference sequence, named by its query id ({@code Query_<n>}, as BLAST XML's
 * {@code Iteration_query-ID} names it) in an {@code @SQ} line and in each alignment's {@code RNAME}, and
 * each subject as a read; only queries with hits have an {@code @SQ} line. Merged: the first batch's
 * {@code @HD}, every batch's {@code @SQ} lines with the query numbers counted across the job (which the
 * SAM does not show for queries without hits, hence the {@code firstQuery} the caller counts), the first
 * batch's {@code @PG}, then every alignment. The header precedes the alignments, so the alignments of the
 * batches go to a {@link Spool} first and are copied after the header by {@link #finish()}.
 * As with a single run, the file stays sorted by coordinate: references in job order. BLAST searches a
 * batch's queries in chunks of its own and heads each chunk's SAM again ({@code @HD}, its {@code @SQ}
 * lines, {@code @PG}); the queries go on being numbered across a batch's chunks, and the other header
 * lines are written once.
 */
public final class SamMerger implements BatchMerger {

    /** Where the alignments wait while the header is written: written once, then read once. */
    public interface Spool {
        Writer records() throws IOException;

        /** The records written, from the start (the writer flushed and closed first). */
        Reader written() throws IOException;
    }

    private final Writer out;
    private final Spool spool;
    private Writer records;
    private String program;
    private final Set<String> headed = new HashSet<>();

    public SamMerger(Writer out, Spool spool) {
        this.out = out;
        this.spool = spool;
    }

    @Override
    public int batch(Lines in, int firstQuery) throws IOException {
        if (records == null) {
            records = spool.records();
        }
        for (String line; (line = in.next()) != null; ) {
            if (line.startsWith("@SQ\t")) {
                out.write(renumber(line, firstQuery, true));
                out.write('\n');
            } else if (line.startsWith("@PG\t")) {
                program = program == null ? line : program;
            } else if (line.startsWith("@")) {
                if (headed.add(line.substring(0, Math.min(3, line.length())))) {
                    out.write(line);
                    out.write('\n');
                }
            } else if (!line.isEmpty()) {
                records.write(renumber(line, firstQuery, false));
                records.write('\n');
            }
        }
        return -1;
    }

    /** Writes the {@code @PG} line, then the spooled alignments. */
    @Override
    public void finish() throws IOException {
        if (program != null) {
            out.write(program);
            out.write('\n');
        }
        if (records != null) {
            try (Reader written = spool.written()) {
                written.transferTo(out);
            }
        }
    }

    /** {@code SN:Query_<k>} of an {@code @SQ} line, or the {@code RNAME} of an alignment, numbered in the job. */
    private static String renumber(String line, int firstQuery, boolean header) throws IOException {
        String[] fields = line.split("\t", -1);
        int field = header ? indexOf(fields, "SN:") : 2;
        String prefix = header ? "SN:Query_" : "Query_";
        if (field < 0 || field >= fields.length || !fields[field].startsWith(prefix)) {
            if (!header && fields.length > 2 && fields[2].equals("*")) {
                return line;
            }
            throw new IOException("Unexpected SAM line from BLAST: " + line);
        }
        int local;
        try {
            local = Integer.parseInt(fields[field].substring(prefix.length()));
        } catch (NumberFormatException e) {
            throw new IOException("Unexpected query name in BLAST's SAM: " + fields[field]);
        }
        fields[field] = prefix + (firstQuery + local);
        return String.join("\t", fields);
    }

    private static int indexOf(String[] fields, String tag) {
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].startsWith(tag)) {
                return i;
            }
        }
        return -1;
    }
}
