package io.aegis.job.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** job-service settings ({@code aegis.*}). */
@ConfigMapping(prefix = "aegis")
public interface JobConfig {

    /**
     * This replica's name, the same across its restarts and different for each replica (the chart: the
     * pod's name): its static membership in the Kafka group {@code job-service} is
     * {@code job-service-<instance>} (application.properties).
     */
    String instance();

    Db db();

    Store store();

    Outbox outbox();

    Reconciler reconciler();

    Retention retention();

    Reuse reuse();

    Queue queue();

    FinalizationSweep finalizationSweep();

    /**
     * Fair use of the workers. Every user's jobs wait here and are handed to the workers a few at a
     * time, round-robin across users: one user's 500 queued jobs do not hold back another user's one.
     */
    interface Queue {
        /**
         * At most this many of one user's jobs are with the workers at once (handed out, running or
         * cancelling); the rest wait here, oldest first.
         */
        @WithDefault("2")
        int inFlightPerUser();

        /**
         * At most this many of one user's jobs may be unfinished; a submit past it is a 429
         * {@code TOO_MANY_ACTIVE_JOBS}. 0 sets no limit.
         */
        @WithDefault("200")
        int activePerUser();

        /** How often waiting jobs are looked at when no submit or finished job woke the dispatcher. */
        @WithDefault("1s")
        Duration dispatchInterval();
    }

    /** Result reuse: an identical earlier success answers a submit at once. */
    interface Reuse {
        /**
         * Whether another user's success may answer a submit. Off, a user reuses only their own jobs
         * and learns nothing of anyone else's; an operator may turn it on where every database is
         * public and results are no secret.
         */
        @WithDefault("false")
        boolean acrossUsers();
    }

    /** PostgreSQL, expanded into the {@code quarkus.datasource.*} URLs. */
    interface Db {
        String host();

        int port();

        String name();

        String user();

        String password();
    }

    /** The artifact store, where job inputs are written ({@code jobs/<id>/input.fasta}). */
    interface Store {
        Path root();
    }

    interface Outbox {
        /** Events claimed and sent per transaction. */
        @WithDefault("500")
        int batchSize();

        /** How often the relay looks for events when no notification woke it. */
        @WithDefault("1s")
        Duration pollInterval();

        /**
         * How long the relay lets events gather after a wake-up before it claims them: under load
         * one claim and one produce request carry many events instead of one each.
         */
        @WithDefault("10ms")
        Duration linger();

        /** How long a send may wait for the broker before the batch is retried. */
        @WithDefault("5s")
        Duration sendTimeout();

        /**
         * The first wait after a failed send or a lost database connection; it doubles with each failure
         * in a row, up to {@link #retryBackoffMax()}.
         */
        @WithDefault("200ms")
        Duration retryBackoff();

        /** The longest wait between two attempts of the relay. */
        @WithDefault("10s")
        Duration retryBackoffMax();
    }

    interface Reconciler {
        /**
         * How often silent workers' jobs, unconfirmed cancels and queued jobs no worker took are looked for.
         * A lost job runs again at most this long after its worker passed {@link #heartbeatTimeout()};
         * each run is three indexed queries.
         */
        @WithDefault("1s")
        Duration interval();

        /**
         * A worker silent for this long has lost the job it held. With the worker's 2 s heartbeat and a
         * 1 s {@link #interval()}, a killed worker's job is re-queued 10–13 s after the kill (the target:
         * running again within 15 s). It must stay above the longest silence a live worker can show:
         * the time between two heartbeats plus the longest wait of its heartbeats in Kafka, which is when
         * a job-service replica leaves for good and its partitions wait out the consumer's 6 s session and
         * a rebalance (about 8 s, application.properties). Lower, a rollout of job-service would re-run
         * jobs whose workers are alive.
         */
        @WithDefault("12s")
        Duration heartbeatTimeout();

        /** Attempts a job gets before it fails with WORKER_LOST. */
        @WithDefault("3")
        int maxAttempts();

        /** A queued job no worker took for this long is dispatched again (once Kafka shows its request was consumed). */
        @WithDefault("2m")
        Duration dispatchTimeout();

        /** A cancel no worker confirmed within this long ends the job as cancelled anyway. */
        @WithDefault("30s")
        Duration cancelTimeout();

        /** The workers' shared consumer group, whose progress on the request topic tells a waiting job from a lost one. */
        @WithDefault("pipeline-worker")
        String workerGroup();
    }

    /**
     * The sweep of finished jobs whose artifacts were never made: artifact-service finalizes a job when its
     * terminal state arrives, and announces the manifest last ({@code aegis.artifact.state}); a job with
     * no manifest for its last end {@link #grace()} after it ended (its state record lost, dead-lettered,
     * or never processed) has its terminal state announced again through the outbox.
     */
    interface FinalizationSweep {
        /** How often finished jobs are looked at. Each run is one claim over a partial index of the unsettled ones. */
        @WithDefault("1m")
        Duration interval();

        /**
         * How long after a job's end, and after each re-announcement, its manifest may take before the
         * terminal state is announced again. It must be longer than a finalization usually takes
         * (seconds, or minutes for a large result set); a re-announcement during a build is a
         * duplicate artifact-service ignores, so too short costs records, not work.
         */
        @WithDefault("5m")
        Duration grace();

        /** Jobs that ended longer ago than this are left alone: the sweep's reach, and its query's range. */
        @WithDefault("168h")
        Duration lookBack();

        /** At most this many re-announcements per run, oldest end first: a lost partition does not flood the topic. */
        @WithDefault("200")
        int batchSize();

        /**
         * Re-announcements of one end before the sweep gives up on it (logged, and counted as
         * {@code aegis_jobs_swept_total{outcome="given_up"}}): artifact-service ignores a terminal
         * state it already finalized, so a manifest record lost on the way to job-service is not sent again.
         */
        @WithDefault("3")
        int maxReannounces();
    }

    interface Retention {
        /** Finished jobs older than this are removed with their files. */
        @WithDefault("720h")
        Duration ttl();

        /** How often finished jobs past their TTL are looked for. */
        @WithDefault("1h")
        Duration interval();

        /** Jobs removed at a time. */
        @WithDefault("500")
        int batchSize();
    }
}
