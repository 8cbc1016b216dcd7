package io.aegis.logstream.domain;

import java.util.OptionalLong;

/**
 * Event ids: {@code <epoch>-<n>}, the ids of a job's Redis Stream. {@code n} counts the job's events
 * from 1 without holes; {@code epoch} names the buffer (the time it was created), so a buffer lost
 * and created again orders after the old one. Ids order the stream, and where two ids are of one
 * epoch, their distance says how many events lie between.
 */
public final class StreamIds {

    /** The cursor before the first event of any stream. */
    public static final String START = "0-0";

    public static String of(long epoch, long n) {
        return epoch + "-" + n;
    }

    public static int compare(String a, String b) {
        long[] x = parse(a);
        long[] y = parse(b);
        int byEpoch = Long.compare(x[0], y[0]);
        return byEpoch != 0 ? byEpoch : Long.compare(x[1], y[1]);
    }

    public static boolean isAfter(String a, String b) {
        return compare(a, b) > 0;
    }

    /** True for a well-formed id; a client's {@code Last-Event-ID} is checked with it. */
    public static boolean isValid(String id) {
        try {
            parse(id);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The id just before {@code id} in its epoch: a cursor from which {@code id} is the next event. */
    public static String before(String id) {
        long[] x = parse(id);
        return of(x[0], Math.max(0, x[1] - 1));
    }

    /**
     * How many events lie between a reader's last event and the next one it is given: none when
     * they follow each other; empty when the count is unknown (the buffer was created again in
     * between, or the reader's cursor is of no epoch the buffer knows).
     */
    public static OptionalLong skipped(String last, String next) {
        long[] x = parse(last);
        long[] y = parse(next);
        if (x[0] == y[0] || START.equals(last)) {
            return OptionalLong.of(Math.max(0, y[1] - (x[0] == y[0] ? x[1] : 0) - 1));
        }
        return OptionalLong.empty();
    }

    private static long[] parse(String id) {
        int dash = id.indexOf('-');
        if (dash <= 0) {
            throw new IllegalArgumentException("Not a stream id: " + id);
        }
        long epoch = Long.parseLong(id.substring(0, dash));
        long n = Long.parseLong(id.substring(dash + 1));
        if (epoch < 0 || n < 0) {
            throw new IllegalArgumentException("Not a stream id: " + id);
        }
        return new long[] {epoch, n};
    }

    private StreamIds() {
    }
}
