package io.aegis.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** The CPUs of this machine, as Linux counts them in {@code /proc/stat} and {@code /proc/<pid>/stat}. */
final class Machine {

    /**
     * What the CPUs did over an interval, in cores kept busy on average: in all, and by everything
     * but the processes measured (other work on the machine, which takes from the measurement).
     */
    record Usage(double busyCores, double otherCores) {
    }

    /** Measures from its creation to {@link #stop()}: the machine, and the given processes with their finished children. */
    static final class Meter {

        private final List<Long> pids;
        private final long[] machine;
        private final long own;

        Meter(List<Long> pids) {
            this.pids = List.copyOf(pids);
            this.machine = ticks();
            this.own = processTicks(this.pids);
        }

        Usage stop() {
            long[] after = ticks();
            long ownAfter = processTicks(pids);
            int cpus = Runtime.getRuntime().availableProcessors();
            return machine == null || after == null ? new Usage(Double.NaN, Double.NaN)
                    : new Usage(busyCores(machine, after, cpus), otherCores(machine, after, ownAfter - own, cpus));
        }
    }

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

    static double busyCores(long[] before, long[] after, int cpus) {
        return (1 - idleShare(before, after)) * cpus;
    }

    /** The busy cores between two readings of {@link #ticks()} that {@code ownTicks} of them do not account for. */
    static double otherCores(long[] before, long[] after, long ownTicks, int cpus) {
        long total = 0;
        for (int i = 0; i < after.length; i++) {
            total += after[i] - before[i];
        }
        long busy = total - (after[3] - before[3]) - (after[4] - before[4]);
        return total == 0 ? 0 : Math.max(0, (double) (busy - ownTicks) / total * cpus);
    }

    /** The CPU time of the processes and of their children they waited for, in clock ticks; a process gone counts 0. */
    static long processTicks(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            try {
                sum += processTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
            } catch (IOException | RuntimeException e) {
                // gone: its time left with it
            }
        }
        return sum;
    }

    /** utime + stime + cutime + cstime of one {@code /proc/<pid>/stat} line (the name in parentheses may hold spaces). */
    static long processTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // fields[0] is the state, the third field of the line: utime is the 14th
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                + Long.parseLong(fields[14]);
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
