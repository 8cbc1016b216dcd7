package io.aegis.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/** The CPUs of this machine, as Linux counts them in {@code /proc/stat}. */
final class Machine {

    private static final Path STAT = Path.of("/proc/stat");
    /** Quiet: at least this share of the CPU time idle over one second. */
    private static final double QUIET_IDLE = 0.85;

    private Machine() {
    }

    /**
     * Waits until the CPUs are mostly idle, or {@code timeout} passed (at once where /proc/stat is
     * missing). False when the machine stayed busy.
     */
    static boolean awaitQuiet(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long[] before = ticks();
        while (before != null && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            long[] after = ticks();
            if (idleShare(before, after) >= QUIET_IDLE) {
                return true;
            }
            before = after;
        }
        return before == null;
    }

    /** How many cores were busy on average since {@code before} (a reading of {@link #ticks()}); NaN where unreadable. */
    static double busyCoresSince(long[] before) {
        long[] after = ticks();
        return before == null || after == null ? Double.NaN
                : busyCores(before, after, Runtime.getRuntime().availableProcessors());
    }

    static double busyCores(long[] before, long[] after, int cpus) {
        return (1 - idleShare(before, after)) * cpus;
    }

    /** The share of CPU time spent idle (or waiting for I/O) between two readings of the "cpu" line. */
    static double idleShare(long[] before, long[] after) {
        long total = 0;
        for (int i = 0; i < after.length; i++) {
            total += after[i] - before[i];
        }
        long idle = (after[3] - before[3]) + (after[4] - before[4]);
        return total == 0 ? 1.0 : (double) idle / total;
    }

    /** user, nice, system, idle, iowait, irq, softirq, steal of all CPUs; null where unreadable. */
    static long[] ticks() {
        try {
            String[] fields = Files.readAllLines(STAT).getFirst().trim().split("\\s+");
            return Arrays.stream(fields, 1, 9).mapToLong(Long::parseLong).toArray();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
