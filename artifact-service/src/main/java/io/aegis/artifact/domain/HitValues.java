package io.aegis.artifact.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of {@code hits.tsv} as an object of its columns, typed the way {@code hits.json} types
 * them: a column the pipeline declares {@code integer} becomes a whole number, {@code number} a
 * decimal, anything else (and a value that does not parse) stays the string it was. A line with
 * fewer fields than columns leaves the missing ones out.
 */
public final class HitValues {

    private final List<String> columns;
    private final String[] types;

    /**
     * @param columns the hit table's columns, in file order
     * @param types   the declared type of a column by name ({@code integer}, {@code number}, {@code string});
     *                a column not named is a string
     */
    public HitValues(List<String> columns, Map<String, String> types) {
        this.columns = List.copyOf(columns);
        this.types = columns.stream().map(c -> types.getOrDefault(c, "string")).toArray(String[]::new);
    }

    public List<String> columns() {
        return columns;
    }

    public Map<String, Object> of(String line) {
        String[] fields = line.split("\t", -1);
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columns.size() && i < fields.length; i++) {
            row.put(columns.get(i), typed(types[i], fields[i]));
        }
        return row;
    }

    private static Object typed(String type, String value) {
        try {
            return switch (type) {
                case "integer" -> Long.parseLong(value);
                case "number" -> {
                    double number = Double.parseDouble(value);
                    yield Double.isFinite(number) ? number : value;
                }
                default -> value;
            };
        } catch (NumberFormatException e) {
            return value;
        }
    }
}
