package io.aegis.logstream.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "aegis.log-stream")
public interface LogStreamConfig {

    /** This replica's name; its Kafka consumer group is {@code log-stream-<instance>}. */
    String instance();

    /** Events kept per job for replay (approximate cap of its Redis Stream). */
    @WithDefault("10000")
    long replayCap();

    /** How long a job's replay buffer outlives its last event. */
    @WithDefault("24h")
    Duration replayTtl();

    /** Interval of the keepalive comment that keeps proxies from closing a quiet stream. */
    @WithDefault("15s")
    Duration keepalive();

    /**
     * For a terminal state that does not name the worker's last seqs (a producer that predates them,
     * an end job-service decided itself): how long the job's events must have been quiet before it is
     * buffered, so log and progress events the worker sent before the end (on other topics) land in
     * the stream before the terminal event.
     */
    @WithDefault("500ms")
    Duration terminalGrace();

    /**
     * How long a stream of a job that has ended waits for the job's terminal event to reach the
     * buffer (a replica catching up on its topics) before it tells the end from the snapshot; and how
     * long a terminal state that names the worker's last log and progress seqs is held until the
     * buffer has them, before it goes in after a {@code gap} {@code {"tailMissing": true}}.
     */
    @WithDefault("10s")
    Duration terminalWait();

    /**
     * How long after a job's end its stream waits for the job's artifact events, up to the one that
     * settles its finalization ({@code manifest.json} ready or failed); then the stream ends with
     * what it has ({@code end} says {@code "finalized": false}). Counted from the job's end, so a
     * client that comes later waits only for what is left of it.
     */
    @WithDefault("2m")
    Duration artifactWait();

    /** A stream closes after this long, with a {@code retry:} hint; the client resumes where it was. */
    @WithDefault("30m")
    Duration maxDuration();

    /** How soon a client told to reconnect (a stream closed after {@link #maxDuration()}) should. */
    @WithDefault("1s")
    Duration reconnectAfter();

    /** Streams one user may have open at once, across every replica. */
    @WithDefault("10")
    int streamsPerUser();

    /** How long an open stream's slot is held without renewal (a replica renews its own). */
    @WithDefault("60s")
    Duration streamLease();

    /** Live events buffered per reader; past it the oldest log lines are dropped. */
    @WithDefault("512")
    int readerBuffer();
}
