package io.aegis.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Two BLAST tabular outputs compared row by row: a benchmark whose outputs differ measures nothing. */
final class HitTables {

    /**
     * @param rows        rows of the first table
     * @param onlyFirst   rows of the first table missing from the second (counted with multiplicity)
     * @param onlySecond  rows of the second table missing from the first
     * @param sameOrder   both tables hold the same rows in the same order
     */
    record Comparison(long rows, long onlyFirst, long onlySecond, boolean sameOrder) {

        boolean sameRows() {
            return onlyFirst == 0 && onlySecond == 0;
        }

        /** One word for a table cell: identical, reordered, or how many rows differ. */
        String verdict() {
            if (sameOrder) {
                return "identical";
            }
            return sameRows() ? "reordered" : String.format(Locale.ROOT, "DIFFER(-%d/+%d)", onlyFirst, onlySecond);
        }

        String describe() {
            return switch (verdict()) {
                case "identical" -> rows + " hit rows, identical to the direct run";
                case "reordered" -> rows + " hit rows, the same as the direct run in another order";
                default -> String.format(Locale.ROOT, "DIFFERENT from the direct run: %d of its %d rows missing, "
                        + "%d rows it does not have", onlySecond, rows - onlyFirst + onlySecond, onlyFirst);
            };
        }
    }

    /** A job's hits ({@code first}) against the direct run's ({@code second}), which {@link Comparison#describe()} names. */
    static Comparison compare(Path first, Path second) throws IOException {
        return compare(Files.readAllLines(first), Files.readAllLines(second));
    }

    static Comparison compare(List<String> first, List<String> second) {
        Map<String, Long> balance = new HashMap<>();
        first.forEach(row -> balance.merge(row, 1L, Long::sum));
        second.forEach(row -> balance.merge(row, -1L, Long::sum));
        long onlyFirst = balance.values().stream().filter(n -> n > 0).mapToLong(Long::longValue).sum();
        long onlySecond = -balance.values().stream().filter(n -> n < 0).mapToLong(Long::longValue).sum();
        return new Comparison(first.size(), onlyFirst, onlySecond, first.equals(second));
    }

    private HitTables() {
    }
}
