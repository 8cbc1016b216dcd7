package io.aegis.testing;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The JVM options of the processes the tests start (the Kafka broker, Keycloak, the end-to-end
 * stack's services). They live for a suite, not for months: the quick (C1) compiler alone spends
 * about half the CPU the optimizing one does to get the same tests through, and on two cores that
 * CPU is the suite's time. The build gives the test JVMs themselves the same ({@code aegis.test.jvm}
 * in the root pom).
 */
public final class TestJvm {

    /** Compile with C1 only. */
    public static final String QUICK_COMPILER = "-XX:TieredStopAtLevel=1";
    /** The quick compiler, and the serial collector for small heaps (for a JVM that names no collector). */
    public static final List<String> OPTIONS = List.of(QUICK_COMPILER, "-XX:+UseSerialGC");

    private TestJvm() {
    }

    /** {@link #OPTIONS} followed by {@code more}. */
    public static List<String> with(String... more) {
        return Stream.concat(OPTIONS.stream(), Arrays.stream(more)).toList();
    }
}
