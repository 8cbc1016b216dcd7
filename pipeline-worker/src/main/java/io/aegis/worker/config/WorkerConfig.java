package io.aegis.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "aegis")
public interface WorkerConfig {

    /**
     * This replica's name, the same across its restarts and different for each replica (the chart: the
     * pod's name): its static membership in the Kafka group {@code pipeline-worker} is
     * {@code pipeline-worker-<instance>} (application.properties).
     */
    String instance();

    Store store();

    Databases databases();

    Worker worker();

    PipelineFolder pipelines();

    interface PipelineFolder {
        /** Pipeline definitions ({@code <name>.json}) offered beside the built-in ones; the gateway must read the same. */
        Optional<Path> dir();
    }

    interface Store {
        /** Root of the artifact store (inputs, results, built databases). */
        Path root();
    }

    interface Databases {
        /** Every {@code <name>.fasta} here is the BLAST database {@code <name>}. */
        @WithDefault("examples/databases")
        Path sourceDir();

        /**
         * The largest FASTA a registration takes, in bytes; {@code quarkus.http.limits.max-body-size}
         * must stay above it.
         */
        @WithDefault("2147483648")
        long maxUploadBytes();
    }

    interface Worker {
        /** Where tools run: {@code local} child processes or {@code kubernetes} Jobs. */
        @WithDefault("local")
        ExecutorKind executor();

        /** This replica's name in progress events; defaults to the host name. */
        Optional<String> name();

        /**
         * Jobs this replica runs at once. Their searches share the replica's {@code batch-concurrency}
         * (local tools; Kubernetes Jobs: each job's), so more slots than cores costs no oversubscription:
         * jobs beyond that wait for a search, and small ones waiting for the same search share one run.
         */
        @WithDefault("8")
        int slots();

        /** Upper bound of query residues per batch. */
        @WithDefault("20000")
        long batchResidues();

        /**
         * The smallest search (query residues × database residues) that keeps the tool's archive, for a
         * pipeline whose search can also write its hits directly ({@code direct}). Keeping it costs a
         * second tool run per batch (a sixth to a quarter of the search's CPU for BLAST), paid by every job, to
         * spare a search again for the few whose owner asks for one of the tool's other formats. A smaller
         * search skips it, and its archive is made by searching again when a format is first asked for.
         * The default, 2.5·10¹², is about a minute of one core for BLAST (the benchmarks' job of 1,000
         * queries against 18,000 proteins, 2.2·10¹², takes 48 s by hand): a format asked of a search
         * below it waits at most about that. 0 archives every search.
         */
        @WithDefault("2500000000000")
        long archiveMinSearchSpace();

        /** Batches of one job searched at once; defaults to the number of cores. */
        Optional<Integer> batchConcurrency();

        /**
         * How often a running job says it is alive. job-service takes a job whose worker was silent for
         * its heartbeat timeout (12 s) as lost and runs it again: 2 s leaves room for a few heartbeats
         * lost or late, and for job-service's own consumer being handed over, before a live worker looks
         * lost. Each heartbeat is a small Kafka record and one row update in job-service per running job.
         */
        @WithDefault("2s")
        Duration heartbeatInterval();

        /** Where batches are split and searched; defaults to {@code <store>/scratch}. */
        Optional<Path> scratchDir();

        /** The longest a step may run when its pipeline definition sets no limit. */
        @WithDefault("12h")
        Duration stepTimeout();

        /** The longest a job may run, from the moment it takes a slot. */
        @WithDefault("24h")
        Duration jobTimeout();

        /**
         * The most hits (result rows) one job may have. The batches' rows are counted as each batch
         * ends; past this the job fails with {@code RESULT_TOO_LARGE} before another batch runs, so
         * a search that matches far too much never fills the disk.
         */
        @WithDefault("2000000")
        long maxHits();

        /** Log lines of one job published per second; the rest are counted in a marker (run.log keeps all). */
        @WithDefault("200")
        int logLinesPerSecond();

        /** Read only when {@link #executor()} is {@code kubernetes}. */
        Kubernetes kubernetes();
    }

    /**
     * How tools run as Kubernetes Jobs ({@code aegis.worker.executor=kubernetes}), under
     * {@code aegis.worker.kubernetes}.
     */
    interface Kubernetes {
        /** Where the Jobs are created; defaults to the client's namespace (the worker's own in a pod). */
        Optional<String> namespace();

        /** The image the tools run in: it must hold every program a pipeline runs (BLAST+). */
        @WithDefault("aegis/blast:2.16.0")
        String image();

        /** {@code Always}, {@code IfNotPresent} or {@code Never}; unset leaves the cluster's default. */
        Optional<String> imagePullPolicy();

        /** Secrets for pulling {@link #image()} from a private registry. */
        Optional<List<String>> imagePullSecrets();

        /**
         * The PersistentVolumeClaim that holds the artifact store. It is mounted in every tool pod at
         * {@code aegis.store.root}, so the paths in a command mean the same there as in the worker.
         */
        @WithDefault("aegis-store")
        String storeClaim();

        /** A tool pod's CPU request, a Kubernetes quantity. */
        @WithDefault("1")
        String cpuRequest();

        /** A tool pod's CPU limit, a Kubernetes quantity. */
        @WithDefault("1")
        String cpuLimit();

        /** A tool pod's memory request, a Kubernetes quantity. */
        @WithDefault("1Gi")
        String memoryRequest();

        /** A tool pod's memory limit, a Kubernetes quantity. */
        @WithDefault("2Gi")
        String memoryLimit();

        /** Retries of a failed pod within one Job; 0, since the job-service retries whole attempts. */
        @WithDefault("0")
        int backoffLimit();

        /** How long a finished Job and its pods stay for inspection before the cluster deletes them. */
        @WithDefault("1h")
        Duration ttlAfterFinished();

        /** The tool pods' service account; unset leaves the namespace's default. */
        Optional<String> serviceAccount();

        /** Lines of a pod's log read when it ends: the tool's last words, for the job's log and error. */
        @WithDefault("10")
        int logTailLines();
    }

    enum ExecutorKind {
        LOCAL, KUBERNETES
    }
}
