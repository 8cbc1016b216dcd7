package io.aegis.logstream.domain;

import io.aegis.events.JobStateEvent;
import java.util.Optional;

/**
 * When a job's terminal state may go into its replay buffer. A stream leaves out whatever of the job
 * comes after its end, and the job's log lines and progress travel on topics of their own, each
 * consumed at its own pace (after a broker restart the consumers come back one at a time, seconds
 * apart): taken as it came, the end overtook the job's last lines and progress, and a client was
 * shown none of them. An end the worker reported says how far the attempt's own events went
 * ({@link JobStateEvent#lastLogSeq()}, {@link JobStateEvent#lastProgressSeq()}); the end is held until
 * the buffer has them, for at most {@code terminal-wait}, and then goes in after a {@code gap}
 * marker ({@link #tailMissing()}) that tells the client it was not shown the job's whole tail.
 */
public final class TerminalHold {

    /** How far an attempt's numbered events go: the seq of its last log line and of its last progress report, 0 for none. */
    public record Seqs(long log, long progress) {

        /** The further of the two, each seq on its own. */
        public Seqs max(Seqs other) {
            return new Seqs(Math.max(log, other.log), Math.max(progress, other.progress));
        }
    }

    /** What to do with a held terminal event now. */
    public enum Decision {
        /** The buffer has every event the end names: append it. */
        APPEND,
        /** Some are still on their way: look again. */
        WAIT,
        /** Waited out: append the end after a {@link #tailMissing()} marker; what comes later is left out. */
        APPEND_AFTER_GAP
    }

    /**
     * How far the job's events go, as its terminal state says; empty for a state that does not say:
     * from a producer that predates the fields, or an end job-service decided without the worker
     * (a cancel before the job started, a lost worker), which the buffer takes once the job's
     * events have been quiet for {@code terminal-grace}.
     */
    public static Optional<Seqs> expected(JobStateEvent state) {
        if (state.lastProgressSeq() == null) {
            return Optional.empty();
        }
        return Optional.of(new Seqs(state.lastLogSeq() == null ? 0 : state.lastLogSeq(), state.lastProgressSeq()));
    }

    /**
     * @param expected  how far the end says the job's events go
     * @param buffered  how far the buffer has them (each topic brings a job's events in order, so
     *                  reaching a seq means having every event of that topic before it)
     * @param waitedOut whether the hold has lasted {@code terminal-wait}
     */
    public static Decision decide(Seqs expected, Seqs buffered, boolean waitedOut) {
        if (buffered.log() >= expected.log() && buffered.progress() >= expected.progress()) {
            return Decision.APPEND;
        }
        return waitedOut ? Decision.APPEND_AFTER_GAP : Decision.WAIT;
    }

    /**
     * The {@code gap} marker buffered right before an end that waited out {@code terminal-wait}:
     * {@code {"tailMissing": true}}, some of the job's last lines or progress did not reach the buffer
     * in time and are not in the stream (the job's {@code results/run.log} has every line).
     */
    public static StreamEvent tailMissing() {
        return new StreamEvent(null, StreamEvent.GAP, "{\"tailMissing\":true}");
    }

    private TerminalHold() {
    }
}
