package io.aegis.logstream.kubernetes;

import io.aegis.events.JobLogEvent;
import io.aegis.events.LogStream;
import io.aegis.kubernetes.PodLogLine;
import java.time.Instant;
import java.util.UUID;

/**
 * A pod's log line in a job's stream. The worker publishes every line of its tool pods on Kafka, and
 * this service may follow the same pods itself; both ways a line is known by its container's log
 * and its index there, so the replay buffer keeps one copy of it whichever way, and however often,
 * it comes.
 */
public final class PodLogEvents {

    private PodLogEvents() {
    }

    /**
     * The line as the {@code log} event a client sees for a worker's line, so both read alike. The
     * kubelet merges a container's standard output and error, so every line says {@code stdout};
     * {@code seq} and {@code sourceLine} are the line's index in its container's log. A line without
     * a timestamp is dated {@code fallback}.
     */
    public static JobLogEvent event(UUID jobId, PodLogLine line, Instant fallback) {
        return new JobLogEvent(JobLogEvent.SCHEMA, jobId, line.attempt(), line.index(), line.step(), LogStream.STDOUT,
                line.source(), line.text(), line.at() != null ? line.at() : fallback, line.index());
    }

    /**
     * Where a line of {@code source} ({@code pod/container}) comes from in the job's replay buffer,
     * which keeps, per origin, only positions beyond the last one appended: the position is the
     * line's index in its container's log.
     */
    public static String origin(String source) {
        return "pod:" + source;
    }
}
