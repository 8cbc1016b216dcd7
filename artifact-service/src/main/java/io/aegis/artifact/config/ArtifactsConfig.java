package io.aegis.artifact.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How finished jobs' artifacts are built: polling, leases, retries and what goes into them. */
@ConfigMapping(prefix = "aegis.artifacts")
public interface ArtifactsConfig {

    /** How often the builder looks for due builds (also at once after a job finishes). */
    @WithDefault("1s")
    Duration pollInterval();

    /**
     * How long a claim holds a build before another replica may take it over; the holder renews it every
     * third of it while the build runs ({@link io.aegis.artifact.domain.BuildLease}), so it bounds how long
     * a killed replica's builds wait, not how long a build may take. At least 1 second.
     */
    @WithDefault("10s")
    Duration buildLease();

    /**
     * The wait before a failed build's next attempt, doubling with each further failure up to
     * {@link #retryBackoffMax()} ({@link io.aegis.artifact.domain.Backoff}). It is also what a job's log
     * lines get to arrive after its end: a build that finds none yet is such a failure, {@link #logRetries()} times.
     */
    @WithDefault("2s")
    Duration retryBackoff();

    /** The longest wait between two attempts of a build. */
    @WithDefault("5m")
    Duration retryBackoffMax();

    /** Builds of a job before its artifacts not yet ready settle as failed. */
    @WithDefault("8")
    int maxAttempts();

    /**
     * Builds that may find no log lines before the log part settles without chunks (a job that reused
     * an earlier one's results has no lines of its own, and never waits for any).
     */
    @WithDefault("5")
    int logRetries();

    /** Alignments rendered per query in {@code alignments.txt}. */
    @WithDefault("5")
    int topAlignments();

    /**
     * The {@code blast_formatter} program that makes BLAST's own formats from a job's archive (a name on
     * the {@code PATH}, or a path). It reads the subjects from the database the archive names, by the path
     * the search used: the store must be mounted at the same path here as in the worker.
     */
    @WithDefault("blast_formatter")
    String blastFormatter();

    /**
     * The columns of {@code hits.commented.tsv} ({@code -outfmt 7}), BLAST's field names, the query id
     * first, such as {@code qseqid,sseqid,evalue,bitscore,sscinames}; unset, BLAST's twelve standard
     * columns and {@code stitle qlen slen qcovs staxids}. Checked at start.
     */
    Optional<List<String>> tabularColumns();

    /** The longest one {@code blast_formatter} run (one batch in one format) may take before it is stopped. */
    @WithDefault("30m")
    Duration formatterTimeout();
}
