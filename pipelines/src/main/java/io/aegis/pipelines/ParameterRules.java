package io.aegis.pipelines;

import io.aegis.sequences.SequenceType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one place parameters are checked, by the gateway at submit and again by the worker (the
 * values become command-line arguments): unknown names, wrong types, values out of range or not
 * among the choices, and parameters that do not apply to the chosen program are refused, each
 * naming its field. Defaults are filled in, so the resolved values say exactly what runs.
 */
public final class ParameterRules {

    /**
     * Parameters ready to use.
     *
     * @param values   every applicable parameter that was given or has a default, in declaration order:
     *                 {@code String} for choices, {@code Long} for integers, {@code Double} for numbers
     * @param query    the alphabet the queries must have, or null when any will do
     * @param database the type of database to search, or null when any will do
     * @param applied  the declarations that apply
     */
    public record Resolved(Map<String, Object> values, SequenceType query, SequenceType database,
                           List<ParameterSpec> applied) {

        /** Every given or defaulted parameter that has a flag, as flag and value, in declaration order. */
        public List<String> flags() {
            List<String> flags = new ArrayList<>();
            for (ParameterSpec spec : applied) {
                Object value = values.get(spec.name());
                if (spec.flag() != null && value != null) {
                    flags.add(spec.flag());
                    flags.add(format(value));
                }
            }
            return flags;
        }

        /** Each value as it appears on a command line. */
        public Map<String, String> asText() {
            Map<String, String> text = new LinkedHashMap<>();
            values.forEach((name, value) -> text.put(name, format(value)));
            return text;
        }
    }

    public static Resolved resolve(PipelineDefinition pipeline, Map<String, ?> given) {
        Map<String, ?> params = given == null ? Map.of() : given;
        List<String> names = pipeline.parameterNames();
        for (String name : params.keySet()) {
            if (!names.contains(name)) {
                throw new InvalidParameter("params." + name, "Unknown parameter '" + name + "' for pipeline "
                        + pipeline.name() + "; allowed: " + String.join(", ", names.stream().sorted().toList()) + ".");
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        List<ParameterSpec> applied = new ArrayList<>();
        for (ParameterSpec spec : pipeline.parameters()) {
            if (spec.when().isEmpty()) {
                take(spec, params, values, applied);
            }
        }
        Map<String, Object> unconditional = Map.copyOf(values);
        for (String name : names) {
            List<ParameterSpec> conditional = pipeline.parameters().stream()
                    .filter(s -> s.name().equals(name) && !s.when().isEmpty()).toList();
            if (conditional.isEmpty()) {
                continue;
            }
            ParameterSpec spec = conditional.stream().filter(s -> s.appliesTo(unconditional)).findFirst().orElse(null);
            if (spec != null) {
                take(spec, params, values, applied);
            } else if (params.get(name) != null) {
                throw new InvalidParameter("params." + name, "Parameter '" + name + "' does not apply when "
                        + describe(conditional.getFirst(), unconditional) + ".");
            }
        }
        applied.sort(Comparator.comparingInt(pipeline.parameters()::indexOf));
        SequenceType query = pipeline.query();
        SequenceType database = pipeline.database();
        for (ParameterSpec spec : applied) {
            for (ParameterSpec.Choice choice : spec.choices()) {
                if (choice.value().equals(values.get(spec.name()))) {
                    query = choice.query() != null ? choice.query() : query;
                    database = choice.database() != null ? choice.database() : database;
                }
            }
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        applied.forEach(spec -> {
            if (values.containsKey(spec.name())) {
                ordered.put(spec.name(), values.get(spec.name()));
            }
        });
        return new Resolved(ordered, query, database, List.copyOf(applied));
    }

    private static void take(ParameterSpec spec, Map<String, ?> params, Map<String, Object> values,
                             List<ParameterSpec> applied) {
        applied.add(spec);
        Object raw = params.get(spec.name());
        if (raw == null) {
            raw = spec.defaultValue();
        }
        if (raw == null) {
            if (spec.required()) {
                throw new InvalidParameter("params." + spec.name(), "Parameter '" + spec.name() + "' is required.");
            }
            return;
        }
        values.put(spec.name(), convert(spec, raw));
    }

    /** The value in its canonical type, or a refusal that says what would be accepted. */
    static Object convert(ParameterSpec spec, Object raw) {
        String field = "params." + spec.name();
        return switch (spec.type()) {
            case CHOICE -> {
                String value = raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                        ? Long.toString(n.longValue()) : raw instanceof String s ? s.strip() : null;
                List<String> allowed = spec.choices().stream().map(ParameterSpec.Choice::value).toList();
                if (value == null || !allowed.contains(value)) {
                    throw new InvalidParameter(field, spec.name() + " must be one of " + String.join(", ", allowed)
                            + (raw instanceof String || raw instanceof Number ? "; not '" + raw + "'." : "."));
                }
                yield value;
            }
            case INTEGER -> {
                Double number = number(raw);
                if (number == null || number != Math.rint(number) || !inRange(spec, number)) {
                    throw new InvalidParameter(field, spec.name() + " must be a whole number" + range(spec) + ".");
                }
                yield number.longValue();
            }
            case NUMBER -> {
                Double number = number(raw);
                if (number == null || !Double.isFinite(number) || !inRange(spec, number)) {
                    throw new InvalidParameter(field, spec.name() + " must be a number" + range(spec) + ".");
                }
                yield number;
            }
        };
    }

    private static Double number(Object raw) {
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        if (raw instanceof String s) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static boolean inRange(ParameterSpec spec, double value) {
        boolean aboveMin = spec.min() == null || (spec.exclusiveMin() ? value > spec.min() : value >= spec.min());
        return aboveMin && (spec.max() == null || value <= spec.max());
    }

    private static String range(ParameterSpec spec) {
        String min = spec.min() == null ? null : (spec.exclusiveMin() ? "greater than " : "from ") + format(spec.min());
        String max = spec.max() == null ? null : (min == null ? "at most " : "to ") + format(spec.max());
        if (min != null && max != null) {
            return spec.exclusiveMin() ? " " + min + " and at most " + format(spec.max()) : " " + min + " " + max;
        }
        return min != null ? " " + min : max != null ? " " + max : "";
    }

    private static String describe(ParameterSpec spec, Map<String, Object> values) {
        return spec.when().keySet().stream().sorted()
                .map(name -> name + " is " + values.get(name) + " (it applies to " + name + " "
                        + String.join(", ", spec.when().get(name)) + ")")
                .collect(Collectors.joining(" and "));
    }

    /** A value as a command line and a message show it: whole numbers without a fraction. */
    static String format(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        if (value instanceof Double d) {
            return Double.toString(d).toLowerCase(Locale.ROOT);
        }
        return value.toString();
    }

    private ParameterRules() {
    }
}
