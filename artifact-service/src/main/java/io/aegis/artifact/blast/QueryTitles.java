package io.aegis.artifact.blast;

import io.aegis.sequences.Fasta;
import io.aegis.sequences.FastaRecord;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * The job's queries as submitted (id and description, in input order), and the names they carry inside
 * the batches: the worker searches the {@code n}-th query as {@code Q<n>} without description, so that
 * every hit finds its query whatever BLAST makes of an id. The formats merged from the batches show the
 * submitted names again. Holds the ids and descriptions, not the sequences.
 */
public final class QueryTitles {

    private final List<String> ids;
    private final List<String> descriptions;

    public QueryTitles(List<FastaRecord> records) {
        this.ids = new ArrayList<>(records.size());
        this.descriptions = new ArrayList<>(records.size());
        records.forEach(this::add);
    }

    private QueryTitles() {
        this(List.of());
    }

    /** Reads the job's input FASTA a record at a time, keeping only the names. */
    public static QueryTitles read(Reader input) throws IOException {
        QueryTitles titles = new QueryTitles();
        Fasta.read(input, Fasta.Limits.NONE, titles::add);
        return titles;
    }

    private void add(FastaRecord record) {
        ids.add(record.id());
        descriptions.add(record.description());
    }

    public int size() {
        return ids.size();
    }

    /** The submitted id of the query at {@code index} (0-based), as BLAST's query id column shows it. */
    public String id(int index) {
        return ids.get(index);
    }

    /** The query's whole definition line (id, then its description), as BLAST shows a query's title. */
    public String title(int index) {
        String description = descriptions.get(index);
        return description.isEmpty() ? ids.get(index) : ids.get(index) + " " + description;
    }

    /**
     * The 0-based index of the query a batch calls {@code name} ({@code Q<n>}), checked to be the one
     * expected at that place of the merged output: a batch's output out of order, or of another job, is
     * an error rather than a document with the wrong names.
     */
    public int indexOf(String name, int expected) throws IOException {
        int index = -1;
        if (name.length() > 1 && name.charAt(0) == 'Q') {
            try {
                index = Integer.parseInt(name, 1, name.length(), 10) - 1;
            } catch (NumberFormatException notANumber) {
                index = -1;
            }
        }
        if (index < 0 || index >= ids.size()) {
            throw new IOException("BLAST's output names a query '" + name + "' that the job's input ("
                    + ids.size() + " queries) does not have");
        }
        if (index != expected) {
            throw new IOException("BLAST's output names query " + name + " where query Q" + (expected + 1)
                    + " was due: the batches are out of order");
        }
        return index;
    }
}
