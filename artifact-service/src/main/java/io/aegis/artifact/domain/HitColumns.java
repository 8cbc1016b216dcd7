package io.aegis.artifact.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the positions of named columns in a hit line, and reads typed values from split lines with
 * errors that say which column and which value were wrong.
 */
final class HitColumns {

    /**
     * The index of each required column, in the order asked.
     *
     * @throws IllegalArgumentException naming every missing column
     */
    static int[] require(List<String> columns, String what, String... required) {
        int[] indexes = new int[required.length];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < required.length; i++) {
            indexes[i] = columns.indexOf(required[i]);
            if (indexes[i] < 0) {
                missing.add(required[i]);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(what + " needs the hit column" + (missing.size() == 1 ? " " : "s ")
                    + String.join(", ", missing) + "; the hits have " + String.join(", ", columns));
        }
        return indexes;
    }

    /** The highest of the indexes: a line needs more fields than that. */
    static int widest(int[] indexes) {
        int widest = 0;
        for (int index : indexes) {
            widest = Math.max(widest, index);
        }
        return widest;
    }

    /** Checks a split line has a field at {@code widest}. */
    static void requireWidth(String[] fields, int widest) {
        if (fields.length <= widest) {
            throw new IllegalArgumentException("A hit line has " + fields.length + " fields, expected at least "
                    + (widest + 1));
        }
    }

    /** A finite decimal number, or an error naming the column. */
    static double number(String[] fields, int index, String column) {
        try {
            double value = Double.parseDouble(fields[index]);
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("A hit's " + column + " is not a number: '" + fields[index] + "'");
    }

    /** A whole number, or an error naming the column. */
    static long integer(String[] fields, int index, String column) {
        try {
            return Long.parseLong(fields[index].strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "A hit's " + column + " is not a whole number: '" + fields[index] + "'", e);
        }
    }

    private HitColumns() {
    }
}
