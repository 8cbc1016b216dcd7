package io.aegis.bench;

import io.aegis.sequences.FastaRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A synthetic protein benchmark, the same on every run (fixed seed, {@link Random}'s specified
 * algorithm): a database of protein families and queries that are further members of them, so
 * every query has real hits with e-values that vary.
 *
 * <p>Each family has a random ancestor of 100–600 residues drawn from background amino-acid
 * frequencies. Its database members are the ancestor with point substitutions (10 % for the first
 * member, more for each next one, up to about 40 %) and short insertions and deletions. A query is
 * the ancestor of a random family mutated the same way with 15–45 % substitutions.
 */
final class ProteinFamilies {

    static final int MIN_LENGTH = 100;
    static final int MAX_LENGTH = 600;
    /** UniProt-like background frequencies, in percent, of the residues in {@link #AMINO_ACIDS}. */
    private static final String AMINO_ACIDS = "ARNDCQEGHILKMFPSTWYV";
    private static final double[] FREQUENCIES = {8.25, 5.53, 4.06, 5.45, 1.37, 3.93, 6.75, 7.07, 2.27, 5.96,
        9.66, 5.84, 2.42, 3.86, 4.70, 6.56, 5.34, 1.08, 2.92, 6.87};
    /** Per residue: the chance that an insertion or a deletion of 1–4 residues starts here. */
    private static final double INDEL_RATE = 0.01;
    private static final int MAX_INDEL = 4;

    /** The database sequences and the queries, in the order they are written. */
    record Dataset(List<FastaRecord> database, List<FastaRecord> queries) {

        long databaseResidues() {
            return database.stream().mapToLong(FastaRecord::length).sum();
        }

        long queryResidues() {
            return queries.stream().mapToLong(FastaRecord::length).sum();
        }
    }

    private final int families;
    private final int membersPerFamily;
    private final long seed;
    private final int minLength;
    private final int maxLength;

    ProteinFamilies(int families, int membersPerFamily, long seed) {
        this(families, membersPerFamily, seed, MIN_LENGTH, MAX_LENGTH);
    }

    /** Families whose ancestors have {@code minLength} to {@code maxLength} residues. */
    ProteinFamilies(int families, int membersPerFamily, long seed, int minLength, int maxLength) {
        if (families < 1 || membersPerFamily < 1) {
            throw new IllegalArgumentException("at least one family with one member");
        }
        this.families = families;
        this.membersPerFamily = membersPerFamily;
        this.seed = seed;
        if (minLength < 1 || maxLength < minLength) {
            throw new IllegalArgumentException("lengths from " + minLength + " to " + maxLength);
        }
        this.minLength = minLength;
        this.maxLength = maxLength;
    }

    Dataset generate(int queryCount) {
        Random random = new Random(seed);
        List<String> ancestors = new ArrayList<>(families);
        for (int f = 0; f < families; f++) {
            ancestors.add(randomProtein(random, minLength + random.nextInt(maxLength - minLength + 1)));
        }
        List<FastaRecord> database = new ArrayList<>(families * membersPerFamily);
        for (int f = 0; f < families; f++) {
            for (int m = 0; m < membersPerFamily; m++) {
                double substitutions = 0.10 + 0.30 * m / Math.max(1, membersPerFamily - 1);
                database.add(new FastaRecord(String.format(Locale.ROOT, "F%05d_%02d", f + 1, m + 1),
                        String.format(Locale.ROOT, "synthetic family %d member %d", f + 1, m + 1),
                        mutate(random, ancestors.get(f), substitutions)));
            }
        }
        // queries from a stream of their own: more queries never change the database or the first queries
        Random queryRandom = new Random(seed ^ 0x5DEECE66DL);
        List<FastaRecord> queries = new ArrayList<>(queryCount);
        for (int q = 0; q < queryCount; q++) {
            int family = queryRandom.nextInt(families);
            double substitutions = 0.15 + 0.30 * queryRandom.nextDouble();
            queries.add(new FastaRecord(String.format(Locale.ROOT, "Q%05d", q + 1),
                    String.format(Locale.ROOT, "synthetic member of family %d", family + 1),
                    mutate(queryRandom, ancestors.get(family), substitutions)));
        }
        return new Dataset(List.copyOf(database), List.copyOf(queries));
    }

    private static String randomProtein(Random random, int length) {
        StringBuilder sequence = new StringBuilder(length).append('M');
        while (sequence.length() < length) {
            sequence.append(residue(random));
        }
        return sequence.toString();
    }

    /** Substitutions at {@code rate} per residue, plus short insertions and deletions; never empty. */
    static String mutate(Random random, String sequence, double rate) {
        StringBuilder out = new StringBuilder(sequence.length() + 16);
        int i = 0;
        while (i < sequence.length()) {
            if (random.nextDouble() < INDEL_RATE) {
                int length = 1 + random.nextInt(MAX_INDEL);
                if (random.nextBoolean()) {
                    for (int k = 0; k < length; k++) {
                        out.append(residue(random));
                    }
                } else {
                    i += length;
                    continue;
                }
            }
            out.append(random.nextDouble() < rate ? residue(random) : sequence.charAt(i));
            i++;
        }
        return out.isEmpty() ? sequence : out.toString();
    }

    private static char residue(Random random) {
        double pick = random.nextDouble() * 100.0;
        for (int i = 0; i < FREQUENCIES.length; i++) {
            pick -= FREQUENCIES[i];
            if (pick <= 0) {
                return AMINO_ACIDS.charAt(i);
            }
        }
        return AMINO_ACIDS.charAt(AMINO_ACIDS.length() - 1);
    }
}
