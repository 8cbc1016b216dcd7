package io.aegis.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "aegis")
public interface WorkerConfig {

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

        /** Jobs this replica runs at once. */
        @WithDefault("1")
        int slots();

        /** Upper bound of query residues per batch. */
        @WithDefault("20000")
        long batchResidues();

        /** Batches of one job searched at once; defaults to the number of cores. */
        Optional<Integer> batchConcurrency();

        /** How often a running job says it is alive. */
        @WithDefault("5s")
        Duration heartbeatInterval();

        /** Where batches are split and searched; defaults to {@code <store>/scratch}. */
        Optional<Path> scratchDir();

        /** The longest a step may run when its pipeline definition sets no limit. */
        @WithDefault("12h")
        Duration stepTimeout();

        /** The longest a job may run, from the moment it takes a slot. */
        @WithDefault("24h")
        Duration jobTimeout();

        /** Log lines of one job published per second; the rest are counted in a marker (run.log keeps all). */
        @WithDefault("200")
        int logLinesPerSecond();
    }

    enum ExecutorKind {
        LOCAL, KUBERNETES
    }
}
