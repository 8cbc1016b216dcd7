package io.aegis.pipelines;

import io.aegis.pipelines.PipelineDefinition.Column;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a hit's values are typed, written once for everyone who shows hits: the worker writing
 * {@code hits.json} and the artifact service paging the hit table type the same line the same way,
 * by the columns the job's pipeline declares.
 *
 * <p>A column declared {@code integer} holds a whole number ({@link Long}), {@code number} a finite
 * decimal ({@link Double}); any other column holds the string as written, and so does a value that
 * does not parse. A decimal that is not finite ({@code NaN}, {@code Infinity}, {@code 1e999}) stays
 * its string too: JSON has no such number, and the tool's own text says more than a rounded one.
 */
public final class HitValues {

    public static final String STRING = "string";
    public static final String INTEGER = "integer";
    public static final String NUMBER = "number";

    private final List<Column> columns;

    /** @param columns the hit columns in file order, as the job's pipeline declares them */
    public HitValues(List<Column> columns) {
        this.columns = List.copyOf(columns);
    }

    public List<Column> columns() {
        return columns;
    }

    public List<String> names() {
        return columns.stream().map(Column::name).toList();
    }

    /**
     * One tab-separated hit line as an object of its columns, in column order. A line with fewer
     * fields than columns leaves the missing ones out; fields past the last column are not shown.
     */
    public Map<String, Object> of(String line) {
        String[] fields = line.split("\t", -1);
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columns.size() && i < fields.length; i++) {
            row.put(columns.get(i).name(), typed(columns.get(i), fields[i]));
        }
        return row;
    }

    /** The type a column's values take: {@code integer} or {@code number} as declared, anything else {@code string}. */
    public static String type(Column column) {
        String declared = column.type();
        return INTEGER.equals(declared) || NUMBER.equals(declared) ? declared : STRING;
    }

    /** One value as its column declares it: a {@link Long}, a finite {@link Double}, or the string as written. */
    public static Object typed(Column column, String value) {
        try {
            return switch (type(column)) {
                case INTEGER -> Long.parseLong(value);
                case NUMBER -> {
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
