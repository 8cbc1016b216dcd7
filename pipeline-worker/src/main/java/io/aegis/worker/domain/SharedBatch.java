package io.aegis.worker.domain;

import io.aegis.sequences.Fasta;
import io.aegis.sequences.FastaRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * The queries of several batches searched in one tool run, and the run's tabular hits handed back to
 * each: member {@code m}'s query {@code Q3} is {@code M<m>_Q3} in the run, and a hit row of the run
 * goes to member {@code m} under {@code Q3} again. The rows keep their order, so each member reads its
 * hits in the order of its queries, as from a run of its own.
 */
public final class SharedBatch {

    private SharedBatch() {
    }

    /** The id member {@code member}'s query {@code id} has in the shared run. */
    public static String sharedId(int member, String id) {
        return "M" + member + "_" + id;
    }

    /** The queries of every member, renamed, as one FASTA. */
    public static String fasta(List<List<FastaRecord>> members) {
        List<FastaRecord> all = new ArrayList<>();
        for (int m = 0; m < members.size(); m++) {
            for (FastaRecord query : members.get(m)) {
                all.add(new FastaRecord(sharedId(m, query.id()), "", query.sequence()));
            }
        }
        return Fasta.write(all);
    }

    /**
     * Hands each row of the shared run's hits ({@code in}, first column the query) to its member's writer,
     * under the member's own query id.
     *
     * @throws IOException for a row whose query is no member's: the run's output cannot be trusted
     */
    public static void split(BufferedReader in, List<? extends Writer> members) throws IOException {
        String row;
        while ((row = in.readLine()) != null) {
            if (row.isEmpty()) {
                continue;
            }
            int underscore = row.indexOf('_');
            int tab = row.indexOf('\t');
            int member = underscore > 1 && row.charAt(0) == 'M' && (tab < 0 || underscore < tab)
                    ? parse(row.substring(1, underscore)) : -1;
            if (member < 0 || member >= members.size()) {
                throw new IOException("A shared search's hit names no query of its batches: "
                        + row.substring(0, Math.min(row.length(), 80)));
            }
            Writer out = members.get(member);
            out.write(row, underscore + 1, row.length() - underscore - 1);
            out.write('\n');
        }
    }

    private static int parse(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
