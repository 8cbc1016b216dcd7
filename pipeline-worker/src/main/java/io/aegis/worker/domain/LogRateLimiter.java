package io.aegis.worker.domain;

import java.time.Duration;

/**
 * Keeps a tool that prints thousands of lines a second from flooding the log topic: at most
 * {@code linesPerWindow} lines pass in each window; the rest are counted, and the count is handed
 * out once, for a "N lines suppressed" marker, with the first line of a later window or when the
 * caller drains it. Time is passed in, so the rule is tested without waiting.
 */
public final class LogRateLimiter {

    /** Returned by {@link #admit(long)} for a line that must not be published. */
    public static final long SUPPRESSED = -1;

    private final int linesPerWindow;
    private final long windowNanos;
    private long windowStart;
    private boolean started;
    private int passed;
    private long suppressed;

    public LogRateLimiter(int linesPerWindow, Duration window) {
        if (linesPerWindow < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a log rate needs at least one line per positive window");
        }
        this.linesPerWindow = linesPerWindow;
        this.windowNanos = window.toNanos();
    }

    /**
     * @param nowNanos a monotonic time ({@link System#nanoTime()})
     * @return {@link #SUPPRESSED} when the line must not be published; otherwise how many earlier
     *         lines were suppressed and not yet reported (0 when none), to report before this line
     */
    public synchronized long admit(long nowNanos) {
        if (!started || nowNanos - windowStart >= windowNanos) {
            started = true;
            windowStart = nowNanos;
            passed = 0;
        }
        if (passed >= linesPerWindow) {
            suppressed++;
            return SUPPRESSED;
        }
        passed++;
        return drain();
    }

    /** The lines suppressed and not yet reported, now counted as reported. */
    public synchronized long drain() {
        long count = suppressed;
        suppressed = 0;
        return count;
    }
}
