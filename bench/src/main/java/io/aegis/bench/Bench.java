package io.aegis.bench;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code ./aegis bench} drives a running stack and prints the figures:
 * <pre>
 *   Bench submit  --gateway URL --token T [--rate 500] [--warmup-jobs 30000] [--seconds 30]
 *   Bench history --gateway URL --token T [--rounds 500]
 * </pre>
 */
public final class Bench {

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        Map<String, String> options = options(args);
        try (Http http = new Http(URI.create(required(options, "gateway")), required(options, "token"))) {
            switch (args[0]) {
                case "submit" -> System.out.println("submit through the gateway: " + new SubmitLoad(http)
                        .run(number(options, "rate", 500), number(options, "warmup-jobs", 30_000),
                                number(options, "seconds", 30))
                        .format());
                case "history" -> new HistoryLoad(http).run(number(options, "rounds", 500))
                        .forEach((scenario, latencies) -> System.out.printf("history %-28s %s%n", scenario,
                                latencies.format()));
                default -> usage();
            }
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                usage();
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            System.err.println("missing --" + name);
            usage();
        }
        return value;
    }

    private static int number(Map<String, String> options, String name, int fallback) {
        return options.containsKey(name) ? Integer.parseInt(options.get(name)) : fallback;
    }

    private static void usage() {
        System.err.println("usage: Bench submit|history --gateway URL --token TOKEN [--rate N --warmup-jobs N --seconds S | --rounds N]");
        System.exit(2);
    }

    private Bench() {
    }
}
