package io.aegis.bench;

import io.aegis.sequences.FastaRecord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Short protein queries cut from a database's sequences, for the small-jobs benchmark: each a window
 * of {@value #MIN_LENGTH}–{@value #MAX_LENGTH} residues of a random sequence with a tenth of its
 * residues substituted, so every query finds its source (and its family) and no two are the same
 * (a job of a query seen before is a different job all the same). The same seed gives the same queries.
 */
final class ShortQueries {

    static final int MIN_LENGTH = 30;
    static final int MAX_LENGTH = 60;
    private static final String AMINO_ACIDS = "ACDEFGHIKLMNPQRSTVWY";
    private static final double SUBSTITUTED = 0.10;

    private ShortQueries() {
    }

    /** {@code count} distinct queries named {@code s00001}, {@code s00002}, … from {@code source}'s sequences. */
    static List<FastaRecord> cut(List<FastaRecord> source, int count, long seed) {
        List<FastaRecord> longEnough = source.stream().filter(r -> r.length() >= MAX_LENGTH).toList();
        if (longEnough.isEmpty()) {
            throw new IllegalArgumentException("No sequence of " + MAX_LENGTH + " residues or more to cut queries from");
        }
        Random random = new Random(seed);
        Set<String> seen = new LinkedHashSet<>();
        List<FastaRecord> queries = new ArrayList<>(count);
        while (queries.size() < count) {
            FastaRecord from = longEnough.get(random.nextInt(longEnough.size()));
            int length = MIN_LENGTH + random.nextInt(MAX_LENGTH - MIN_LENGTH + 1);
            int start = random.nextInt(from.sequence().length() - length + 1);
            char[] window = from.sequence().substring(start, start + length).toCharArray();
            for (int i = 0; i < window.length; i++) {
                if (random.nextDouble() < SUBSTITUTED) {
                    window[i] = AMINO_ACIDS.charAt(random.nextInt(AMINO_ACIDS.length()));
                }
            }
            String sequence = new String(window);
            if (seen.add(sequence)) {
                queries.add(new FastaRecord(String.format("s%05d", queries.size() + 1),
                        "from " + from.id() + " at " + (start + 1), sequence));
            }
        }
        return queries;
    }
}
