package io.aegis.artifact.service;

import io.aegis.artifact.config.ArtifactsConfig;
import io.aegis.artifact.config.StoreConfig;
import io.aegis.artifact.domain.Artifact;
import io.aegis.artifact.domain.Backoff;
import io.aegis.artifact.metrics.ArtifactMetrics;
import io.aegis.artifact.repository.FinalizationRepository;
import io.aegis.artifact.repository.FinalizationRepository.Claim;
import io.aegis.artifact.repository.FinalizationRepository.Hold;
import io.aegis.events.ArtifactState;
import io.aegis.events.StoreLayout;
import io.aegis.web.tracing.TraceParents;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Runs one attempt at a claimed finalization: plans it from the job's results, builds every part
 * not yet ready, each on its own (a part that fails does not stop the others, {@link ArtifactPart}),
 * and settles the attempt: done when every part is built, due again after {@link Backoff#delay}
 * ({@code retry-backoff}) when one failed, failed for good after {@code max-attempts}. Claims and their
 * leases are {@link ArtifactScheduler}'s.
 *
 * <p>The parts, in order: the worker's {@code results/*} files; the job's input, {@code input.fasta}
 * ({@link InputPart}); {@code summary.json} (every query of the input),
 * {@code alignments.txt} and the {@code hits} table from {@code results/hits.tsv};
 * {@code steps.json} from job-service; the log chunks from the spool; BLAST's own formats from the job's
 * archive ({@link BlastFormatPart}: {@code hits.xml}, {@code hits.commented.tsv}, {@code hits.txt},
 * {@code hits.blast.json}, and {@code hits.sam} for blastn), only those someone asked for
 * ({@link io.aegis.artifact.repository.FinalizationRepository#request}: the others stay {@code on_request});
 * {@code manifest.json} last, only once everything else is ready, listing what the finalization made
 * (a format asked for later is in the job's artifact list, not in a manifest made before it). A job
 * that reused an earlier job's results first takes over, in
 * one step, what was built for that job ({@link ReusedPart}: its files linked, its hit rows copied), and
 * waits for no log lines ({@link LogChunksPart}): nothing it needs is still on its way.
 *
 * <p>A job deleted while its build runs: every save holds the job's finalization row
 * ({@link ArtifactRows}), so the first one after the deletion finds it gone and the attempt stops;
 * a deletion that lands after the last save is seen when the attempt settles. Either way the build
 * then removes whatever it wrote ({@link JobRemoval}).
 *
 * <p>An attempt that lost its build (its lease ran out and another replica claimed it,
 * {@link LeaseLostException}) learns it the same way, at its next save or when it settles, and stops
 * there: it neither settles nor removes anything, the build being the later attempt's.
 */
@ApplicationScoped
public class ArtifactBuilder {

    private final StoreLayout store;
    private final ArtifactsConfig config;
    private final FinalizationRepository finalizations;
    private final ArtifactRows rows;
    private final BuildPool pool;
    private final JobRemoval removal;
    private final Backoff backoff;
    /** The parts after the worker's files, in the order they are built; BLAST's own formats, then the manifest, follow. */
    private final List<ArtifactPart> parts;
    private final ManifestPart manifest;
    private final BlastFormatter formatter;
    /** For a job that reused an earlier job's results, first: what that job's finalization built. */
    private final ReusedPart reused;
    private final ArtifactMetrics metrics;
    private final Tracer tracer;

    public ArtifactBuilder(StoreConfig store, ArtifactsConfig config, FinalizationRepository finalizations,
                           ArtifactRows rows, BuildPool pool, JobRemoval removal, ReusedPart reused, InputPart input, SummaryPart summary,
                           AlignmentsPart alignments, HitTablePart hitTable, StepsPart steps, LogChunksPart logs,
                           ManifestPart manifest, BlastFormatter formatter, ArtifactMetrics metrics, Tracer tracer) {
        this.metrics = metrics;
        this.tracer = tracer;
        this.store = new StoreLayout(store.root());
        this.config = config;
        this.finalizations = finalizations;
        this.rows = rows;
        this.pool = pool;
        this.removal = removal;
        this.backoff = new Backoff(config.retryBackoff(), config.retryBackoffMax());
        this.parts = List.of(input, summary, alignments, hitTable, steps, logs);
        this.manifest = manifest;
        this.formatter = formatter;
        this.reused = reused;
    }

    public Uni<Void> build(Claim claim) {
        BuildAttempt attempt = new BuildAttempt(claim);
        Log.debugf("Building the artifacts of job %s (attempt %d)", claim.jobId(), claim.attempt());
        // in the job's trace, under the state that made the finalization due, whichever replica builds it
        Span span = tracer.spanBuilder("finalize job")
                .setParent(TraceParents.parent(claim.traceParent()))
                .setAttribute("aegis.job.id", claim.jobId().toString())
                .setAttribute("aegis.job.attempt", claim.jobAttempt())
                .setAttribute("aegis.finalization.attempt", claim.attempt())
                .startSpan();
        attempt.trace(Context.root().with(span));
        return rows.load(attempt)
                .chain(() -> pool.run(() -> BuildPlan.of(store, claim)))
                .invoke(plan -> attempt.plan(plan))
                .chain(() -> markPending(attempt))
                .chain(() -> buildParts(attempt))
                .onFailure(BuildAttempt::noted).invoke(failure -> attempt.failed("build", BuildAttempt.message(failure)))
                .onFailure(BuildAttempt::noted).recoverWithNull()
                .chain(attempt::announced)
                .chain(() -> settle(attempt))
                .onFailure(JobRemovedException.class).recoverWithUni(removed -> {
                    Log.infof("Job %s was deleted while its artifacts were being built: removing what the build wrote",
                            claim.jobId());
                    return removal.remove(claim.jobId());
                })
                .onFailure(LeaseLostException.class).recoverWithItem(lost -> {
                    Log.warnf("Job %s: attempt %d stops, its lease ran out and a later attempt took the build over",
                            claim.jobId(), claim.attempt());
                    return null;
                })
                .onTermination().invoke((done, failure, cancelled) -> {
                    if (failure != null || attempt.error() != null) {
                        span.setStatus(StatusCode.ERROR, failure != null ? failure.toString() : attempt.error());
                    }
                    span.end();
                });
    }

    /**
     * Every planned artifact not yet ready is pending from here on (the job page shows it coming), but
     * one made on request that nobody asked for yet: that one is {@code on_request} until someone does.
     */
    private Uni<Void> markPending(BuildAttempt attempt) {
        List<Artifact> changed = new ArrayList<>();
        BuildPlan plan = attempt.plan();
        for (String name : plan.names()) {
            Artifact row = attempt.rows().computeIfAbsent(name, attempt::row);
            ArtifactState planned = plan.onRequest(name) ? ArtifactState.ON_REQUEST : ArtifactState.PENDING;
            if (row.state == ArtifactState.MISSING || (row.state == ArtifactState.FAILED && planned == ArtifactState.PENDING)) {
                row.state = planned;
                row.updatedAt = Instant.now();
                changed.add(row);
            }
        }
        return rows.save(attempt, changed);
    }

    /** The parts one after another, each asked whether it is due only when its turn comes. */
    private Uni<Void> buildParts(BuildAttempt attempt) {
        List<ArtifactPart> due = new ArrayList<>();
        due.add(reused);
        attempt.plan().files().forEach(file -> due.add(new ResultFilePart(file, pool)));
        due.addAll(parts);
        attempt.plan().blastFormats().forEach(format -> due.add(new BlastFormatPart(format, store, formatter, pool)));
        due.add(manifest);
        Uni<Void> built = Uni.createFrom().voidItem();
        for (ArtifactPart part : due) {
            built = built.chain(() -> buildPart(attempt, part));
        }
        return built;
    }

    /** Builds a due part and records what it made ready; a failure is noted, not thrown. */
    private Uni<Void> buildPart(BuildAttempt attempt, ArtifactPart part) {
        if (!part.due(attempt)) {
            return Uni.createFrom().voidItem();
        }
        Span span = tracer.spanBuilder("build " + part.name()).setParent(attempt.trace()).startSpan();
        return metrics.timedPart(part.name(), () -> part.build(attempt))
                .onTermination().invoke((built, failure, cancelled) -> {
                    if (failure != null) {
                        span.setStatus(StatusCode.ERROR, failure.toString());
                    }
                    span.end();
                })
                .chain(built -> rows.ready(attempt, built))
                .onFailure().recoverWithUni(failure -> rows.failed(attempt, part.name(), failure));
    }

    private Uni<Void> settle(BuildAttempt attempt) {
        Claim claim = attempt.claim();
        UUID jobId = attempt.jobId();
        int number = claim.tries();
        Uni<Hold> settled;
        String outcome;
        if (!attempt.hasFailures()) {
            Log.infof("Artifacts of job %s are built (attempt %d)", jobId, number);
            settled = finalizations.done(claim, attempt.note());
            outcome = ArtifactMetrics.DONE;
        } else if (number >= config.maxAttempts()) {
            Log.errorf("Artifacts of job %s failed after %d attempts: %s", jobId, number, attempt.error());
            settled = failRemaining(attempt).chain(() -> finalizations.failed(claim, attempt.error()));
            outcome = ArtifactMetrics.FAILED;
        } else {
            var delay = backoff.delay(number);
            Log.warnf("Artifacts of job %s: attempt %d failed, next in %s: %s", jobId, number, delay, attempt.error());
            settled = finalizations.retry(claim, delay, attempt.error());
            outcome = ArtifactMetrics.RETRIED;
        }
        return settled
                .invoke(hold -> {
                    if (hold == Hold.HELD) {
                        metrics.settled(outcome);
                    }
                    if (hold == Hold.LOST) {
                        // claimed by a later attempt after this one's last row was written: that one settles it
                        throw new LeaseLostException(jobId, claim.attempt());
                    }
                    if (hold == Hold.GONE) {
                        // deleted after the attempt's last row was written: what it wrote since goes too
                        throw new JobRemovedException(jobId);
                    }
                })
                .replaceWithVoid()
                .onFailure(BuildAttempt::noted).invoke(f -> Log.errorf(f,
                        "Job %s: the build's outcome was not recorded; it is taken up again when its lease runs out", jobId));
    }

    /** Out of attempts: every artifact not ready (nor left until asked for) fails with its own error, or the build's. */
    private Uni<Void> failRemaining(BuildAttempt attempt) {
        List<Artifact> failed = new ArrayList<>();
        for (Artifact row : attempt.rows().values()) {
            if (row.state != ArtifactState.READY && row.state != ArtifactState.ON_REQUEST) {
                row.state = ArtifactState.FAILED;
                row.error = row.error != null ? row.error : "Not built: " + attempt.error();
                row.updatedAt = Instant.now();
                failed.add(row);
            }
        }
        return rows.save(attempt, failed).chain(() -> rows.announce(attempt, failed));
    }
}
