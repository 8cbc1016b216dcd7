package io.aegis.worker.domain;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The environment a tool process starts with: what a program needs to run and to find its data,
 * and nothing of the worker's own. The worker's environment holds its secrets (the internal key,
 * the database's and Redis' passwords, Kafka's credentials); a tool runs a user's input and prints
 * into a log the user reads, so it gets none of them, whatever they are called.
 */
public final class ToolEnvironment {

    /** Taken by name. */
    private static final Set<String> NAMES = Set.of("PATH", "HOME", "LANG", "LANGUAGE", "TZ",
            "TMPDIR", "BLASTDB", "BLASTMAT", "BLASTDB_LMDB_MAP_SIZE");
    /** Taken by prefix: the locale's categories. */
    private static final String LOCALE = "LC_";

    private ToolEnvironment() {
    }

    /** The variables of {@code parent} a tool is given. */
    public static Map<String, String> of(Map<String, String> parent) {
        Map<String, String> kept = new TreeMap<>();
        parent.forEach((name, value) -> {
            if (NAMES.contains(name) || name.startsWith(LOCALE)) {
                kept.put(name, value);
            }
        });
        return kept;
    }
}
