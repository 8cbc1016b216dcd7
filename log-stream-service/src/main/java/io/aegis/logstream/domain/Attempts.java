package io.aegis.logstream.domain;

/**
 * A job's attempts in one stream. A job that failed or was cancelled can be retried: job-service
 * queues it again under the same id with the next attempt, and that attempt's events, its end and
 * its artifacts follow the earlier attempt's end in the job's buffer. The job is what its current
 * attempt is, so a stream follows that one: the events of an earlier attempt are history (the
 * snapshot tells the job as it is now), and the end that closes a stream is the current attempt's.
 */
public final class Attempts {

    /** The attempt of an event that names none (an artifact event of a buffer that had no end yet, a marker). */
    public static final int NONE = 0;

    /**
     * Whether {@code event} is history for a stream that follows {@code following}: of an earlier
     * attempt. An event that names no attempt never is.
     */
    public static boolean isHistory(StreamEvent event, int following) {
        return event.attempt() != NONE && event.attempt() < following;
    }

    /** The attempt a stream follows once it saw {@code event}: a later attempt's event moves it on. */
    public static int following(int following, StreamEvent event) {
        return Math.max(following, event.attempt());
    }

    /**
     * Whether the end buffered for {@code endedAttempt} is still the job's end, the newest attempt
     * the buffer knows being {@code newest}: a later attempt means the job was retried and runs again.
     */
    public static boolean stillEnded(int endedAttempt, int newest) {
        return endedAttempt >= newest;
    }

    /**
     * The position of an attempt's terminal event in the buffer's {@code terminal} origin, which
     * takes each position once: each attempt ends once, a later attempt after an earlier one, and an
     * earlier attempt's end that comes after a later one's (a redelivery) is not buffered again. The
     * {@code gap} marker that may precede an attempt's end is at the position before.
     */
    public static long terminalPosition(int attempt) {
        return 2L * Math.max(1, attempt) - 1;
    }

    private Attempts() {
    }
}
