package io.aegis.bench;

/**
 * What {@code ./aegis bench} says as it goes, on standard error as the script says it: a step
 * ({@code ==> …}), or a detail under it (indented). The figures go to standard output.
 */
final class Say {

    private Say() {
    }

    static void step(String text) {
        System.err.println("==> " + text);
    }

    static void detail(String text) {
        System.err.println("    " + text);
    }

    /** A line of the stack's progress: a step, or (indented already) a detail. */
    static void progress(String line) {
        if (line.startsWith(" ")) {
            System.err.println(line);
        } else {
            step(line);
        }
    }
}
