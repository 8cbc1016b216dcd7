package io.aegis.logstream.domain;

/** Redis Stream ids ({@code <millis>-<seq>}) as cursors: their order is the stream's order. */
public final class StreamIds {

    /** The cursor before the first event of any stream. */
    public static final String START = "0-0";

    public static int compare(String a, String b) {
        long[] x = parse(a);
        long[] y = parse(b);
        int byTime = Long.compare(x[0], y[0]);
        return byTime != 0 ? byTime : Long.compare(x[1], y[1]);
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

    private static long[] parse(String id) {
        int dash = id.indexOf('-');
        if (dash <= 0) {
            throw new IllegalArgumentException("Not a stream id: " + id);
        }
        long time = Long.parseLong(id.substring(0, dash));
        long seq = Long.parseLong(id.substring(dash + 1));
        if (time < 0 || seq < 0) {
            throw new IllegalArgumentException("Not a stream id: " + id);
        }
        return new long[] {time, seq};
    }

    private StreamIds() {
    }
}
