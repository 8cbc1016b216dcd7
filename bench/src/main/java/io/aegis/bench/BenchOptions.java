package io.aegis.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The options of one benchmark: {@code --name N} pairs, each a positive whole number. */
final class BenchOptions {

    /** Options a benchmark does not take, or values that are not positive whole numbers. */
    static final class Refused extends IllegalArgumentException {
        Refused(String message) {
            super(message);
        }
    }

    private final Map<String, Integer> values;

    private BenchOptions(Map<String, Integer> values) {
        this.values = values;
    }

    static BenchOptions parse(List<String> args, Set<String> allowed) {
        Map<String, Integer> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            String name = args.get(i);
            if (!name.startsWith("--") || !allowed.contains(name.substring(2))) {
                throw new Refused("unknown option " + name);
            }
            if (i + 1 >= args.size() || !args.get(i + 1).matches("[0-9]{1,9}") || Integer.parseInt(args.get(i + 1)) < 1) {
                throw new Refused(name + " takes a positive whole number");
            }
            values.put(name.substring(2), Integer.parseInt(args.get(i + 1)));
        }
        return new BenchOptions(values);
    }

    /** The option's value; else the environment variable's ({@code env} may be null), else {@code fallback}. */
    int get(String name, String env, int fallback) {
        if (values.containsKey(name)) {
            return values.get(name);
        }
        String set = env == null ? null : System.getenv(env);
        if (set != null && !set.isBlank()) {
            try {
                return Integer.parseInt(set.strip());
            } catch (NumberFormatException e) {
                throw new Refused(env + " must be a whole number, not '" + set + "'");
            }
        }
        return fallback;
    }

    int get(String name, int fallback) {
        return get(name, null, fallback);
    }
}
