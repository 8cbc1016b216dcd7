import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes the example protein database and query set, deterministically (fixed seeds, no downloads).
 *
 * <pre>
 *   java examples/GenerateExamples.java                    # examples/databases/demo.fasta, examples/queries.fasta
 *   java examples/GenerateExamples.java --queries 1000 --out /tmp/q1000.fasta   # a larger query set
 * </pre>
 *
 * The database holds protein families: each family has an ancestor, and each member is the ancestor
 * with about a quarter of its residues substituted. Each query is a fragment of a family's ancestor
 * with about a third substituted, so it finds its family in the database with e-values that vary.
 */
public final class GenerateExamples {

    static final int FAMILIES = 250;
    static final int MEMBERS_PER_FAMILY = 8;
    static final long DATABASE_SEED = 20261125L;
    static final long QUERY_SEED = 7L;
    // Background amino-acid frequencies (UniProt-like), in this order.
    static final String AMINO_ACIDS = "ARNDCQEGHILKMFPSTWYV";
    static final double[] FREQUENCIES = {8.25, 5.53, 4.06, 5.45, 1.37, 3.93, 6.75, 7.07, 2.27, 5.96,
        9.66, 5.84, 2.42, 3.86, 4.70, 6.56, 5.34, 1.08, 2.92, 6.87};

    public static void main(String[] args) throws IOException {
        int queries = 120;
        Path queryOut = Path.of("examples", "queries.fasta");
        Path databaseOut = Path.of("examples", "databases", "demo.fasta");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--queries" -> queries = Integer.parseInt(args[++i]);
                case "--out" -> queryOut = Path.of(args[++i]);
                case "--database-out" -> databaseOut = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("Unknown argument " + args[i]);
            }
        }
        Random random = new Random(DATABASE_SEED);
        List<String> ancestors = new ArrayList<>();
        for (int f = 0; f < FAMILIES; f++) {
            ancestors.add(randomProtein(random, 80 + random.nextInt(320)));
        }
        Files.createDirectories(databaseOut.toAbsolutePath().getParent());
        try (Writer out = Files.newBufferedWriter(databaseOut)) {
            int n = 0;
            for (int f = 0; f < FAMILIES; f++) {
                for (int m = 0; m < MEMBERS_PER_FAMILY; m++) {
                    n++;
                    String member = mutate(random, ancestors.get(f), 0.15 + 0.05 * m);
                    write(out, String.format("DEMO%05d synthetic family F%03d member %d", n, f + 1, m + 1), member);
                }
            }
        }
        Random queryRandom = new Random(QUERY_SEED);
        Files.createDirectories(queryOut.toAbsolutePath().getParent());
        try (Writer out = Files.newBufferedWriter(queryOut)) {
            for (int q = 0; q < queries; q++) {
                int family = queryRandom.nextInt(FAMILIES);
                String ancestor = ancestors.get(family);
                int length = Math.min(ancestor.length(), 60 + queryRandom.nextInt(240));
                int start = queryRandom.nextInt(ancestor.length() - length + 1);
                String fragment = ancestor.substring(start, start + length);
                write(out, String.format("Q%04d fragment of family F%03d", q + 1, family + 1),
                        mutate(queryRandom, fragment, 0.20 + 0.25 * queryRandom.nextDouble()));
            }
        }
        System.out.println("Wrote " + databaseOut + " (" + FAMILIES * MEMBERS_PER_FAMILY + " sequences) and "
                + queryOut + " (" + queries + " queries)");
    }

    static String randomProtein(Random random, int length) {
        StringBuilder sequence = new StringBuilder(length);
        sequence.append('M');
        while (sequence.length() < length) {
            sequence.append(randomResidue(random));
        }
        return sequence.toString();
    }

    static char randomResidue(Random random) {
        double pick = random.nextDouble() * 100.0;
        for (int i = 0; i < FREQUENCIES.length; i++) {
            pick -= FREQUENCIES[i];
            if (pick <= 0) {
                return AMINO_ACIDS.charAt(i);
            }
        }
        return AMINO_ACIDS.charAt(AMINO_ACIDS.length() - 1);
    }

    static String mutate(Random random, String sequence, double rate) {
        StringBuilder out = new StringBuilder(sequence.length());
        for (int i = 0; i < sequence.length(); i++) {
            out.append(random.nextDouble() < rate ? randomResidue(random) : sequence.charAt(i));
        }
        return out.toString();
    }

    static void write(Writer out, String header, String sequence) throws IOException {
        out.write('>');
        out.write(header);
        out.write('\n');
        for (int i = 0; i < sequence.length(); i += 60) {
            out.write(sequence, i, Math.min(60, sequence.length() - i));
            out.write('\n');
        }
    }
}
