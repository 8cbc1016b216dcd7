package io.aegis.artifact.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The orders a job's hits can be read in, each backed by an index of the {@code hit} table: best
 * first (smallest e-value, highest bit score, highest identity), ties in file order ({@code ord}).
 */
public enum HitSort {
    EVALUE("evalue", true),
    BITSCORE("bitscore", false),
    IDENTITY("identity", false);

    private final String column;
    private final boolean ascending;

    HitSort(String column, boolean ascending) {
        this.column = column;
        this.ascending = ascending;
    }

    /** The {@code hit} column sorted on, which is also the name the API uses. */
    public String column() {
        return column;
    }

    public boolean ascending() {
        return ascending;
    }

    /** The sort named (case-insensitive); null or blank means {@link #EVALUE}; empty when no sort has that name. */
    public static Optional<HitSort> named(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of(EVALUE);
        }
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.column.equals(wanted)).findFirst();
    }
}
