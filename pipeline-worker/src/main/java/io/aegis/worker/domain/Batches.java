package io.aegis.worker.domain;

import io.aegis.sequences.FastaRecord;
import java.util.ArrayList;
import java.util.List;

/** Splitting queries into batches for parallel search, as ElasticBLAST does. */
public final class Batches {

    /**
     * Splits records, in order, into batches of at most {@code maxResidues} residues each; a
     * sequence is never split, so a sequence longer than the bound makes a batch of its own.
     */
    public static List<List<FastaRecord>> split(List<FastaRecord> records, long maxResidues) {
        if (maxResidues <= 0) {
            throw new IllegalArgumentException("maxResidues must be positive");
        }
        List<List<FastaRecord>> batches = new ArrayList<>();
        List<FastaRecord> current = new ArrayList<>();
        long residues = 0;
        for (FastaRecord record : records) {
            if (!current.isEmpty() && residues + record.length() > maxResidues) {
                batches.add(List.copyOf(current));
                current.clear();
                residues = 0;
            }
            current.add(record);
            residues += record.length();
        }
        if (!current.isEmpty()) {
            batches.add(List.copyOf(current));
        }
        return batches;
    }

    /**
     * The residue bound that spreads {@code totalResidues} over at least {@code parallelism} batches
     * while never exceeding {@code maxResidues}, so small jobs still use every core.
     */
    public static long residuesPerBatch(long totalResidues, int parallelism, long maxResidues) {
        long even = (totalResidues + parallelism - 1) / Math.max(1, parallelism);
        return Math.max(1, Math.min(maxResidues, even));
    }

    private Batches() {
    }
}
