package io.aegis.artifact.repository;

import io.aegis.artifact.domain.ContentTypes;
import io.aegis.artifact.domain.Finalization;
import io.aegis.artifact.domain.Manifest;
import io.aegis.events.ArtifactState;
import io.aegis.events.JobStateEvent;
import io.aegis.events.JobStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The finalization sentinels in SQL: inserting one (a duplicate does nothing), claiming due builds
 * with {@code FOR UPDATE SKIP LOCKED} so replicas never take the same one, renewing their leases and
 * settling them.
 *
 * <p>Every claim counts an attempt, and that count is the claim's fencing token: renewing and settling
 * name the attempt and change the row only while it is still that attempt's and {@code building}.
 * A replica whose lease ran out (it stalled, or lost the database for longer than a lease) and whose
 * build another replica has claimed since finds its renewal and its settling refused ({@link Hold#LOST})
 * and cannot undo the newer attempt's work; the artifact rows are fenced the same way
 * ({@link ArtifactRepository#save}).
 */
@ApplicationScoped
public class FinalizationRepository {

    /**
     * A build this replica has claimed; {@code attempt} counts it among every claim of the job's
     * finalization (1 for the first) and fences its writes; {@code tries} counts it since the job's
     * latest end (a retried job ends again), for the retry budget and backoff; {@code jobAttempt} is
     * the job's attempt whose end it builds; {@code traceParent} the W3C {@code traceparent} of the state
     * that made it due, which the build's spans continue (null with tracing off).
     */
    public record Claim(UUID jobId, String owner, JobStatus status, UUID reusedFrom, int attempt, int tries,
                        int jobAttempt, String traceParent) {

        /** The claim of a job that ended once, on its first attempt, traced nowhere. */
        public Claim(UUID jobId, String owner, JobStatus status, UUID reusedFrom, int attempt) {
            this(jobId, owner, status, reusedFrom, attempt, attempt, 1, null);
        }
    }

    /** What a fenced write found: the attempt still holds the build, another attempt claimed it since, or the job is gone. */
    public enum Hold {
        /** The build is still this attempt's, {@code building}: the write was made. */
        HELD,
        /** Another attempt claimed the build after this one's lease ran out (or it was settled): nothing was written. */
        LOST,
        /** The job's finalization is gone (the job was deleted): nothing was written. */
        GONE;

        /** Whether {@code attempt} holds a finalization row that reads {@code attempts} and {@code state}. */
        public static Hold of(int attempts, String state, int attempt) {
            return attempts == attempt && Finalization.BUILDING.equals(state) ? HELD : LOST;
        }
    }

    private static final String CLAIM = """
            UPDATE artifacts.finalization
               SET state = 'building', attempts = attempts + 1, requested = false,
                   lease_until = now() + make_interval(secs => $1), updated_at = now()
             WHERE job_id IN (SELECT job_id FROM artifacts.finalization
                               WHERE (state = 'pending' AND next_attempt_at <= now())
                                  OR (state = 'building' AND lease_until < now())
                               ORDER BY next_attempt_at
                               LIMIT $2
                               FOR UPDATE SKIP LOCKED)
            RETURNING job_id, owner, job_status, reused_from, attempts, attempts - claims_before AS tries, job_attempt,
                      trace_parent""";

    private final Pool pool;

    public FinalizationRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Inserts the sentinel of a finished job, due at once, with its manifest's row ({@code missing}
     * until a build takes it up). Answers false when the job already has one for this attempt or a
     * later one: a duplicate terminal event, which then changes nothing. The end of a later attempt
     * (a retried job) makes the sentinel that attempt's and due again, and every artifact of the job
     * {@code missing} until rebuilt from that attempt's results; a build of the earlier end still running finds the row no longer its own
     * ({@link Hold#LOST}: the claim count is kept, and the state is no longer {@code building}).
     * {@code traceParent} is the trace the builds continue (the consumed state's; null with tracing off).
     */
    public Uni<Boolean> insert(JobStateEvent job, String traceParent) {
        return pool.withTransaction(connection -> connection.preparedQuery("""
                        INSERT INTO artifacts.finalization (job_id, owner, job_status, reused_from, job_attempt, state,
                                                  attempts, next_attempt_at, created_at, updated_at, trace_parent)
                        VALUES ($1, $2, $3, $4, $5, 'pending', 0, now(), now(), now(), $6)
                        ON CONFLICT (job_id) DO UPDATE
                           SET job_status = EXCLUDED.job_status, reused_from = EXCLUDED.reused_from,
                               job_attempt = EXCLUDED.job_attempt, claims_before = finalization.attempts,
                               trace_parent = EXCLUDED.trace_parent,
                               state = 'pending', lease_until = NULL,
                               next_attempt_at = now(), last_error = NULL, updated_at = now()
                         WHERE finalization.job_attempt < EXCLUDED.job_attempt""")
                .execute(Tuple.of(job.jobId(), job.owner(), job.status().name(), job.reusedFrom(), job.attempt(),
                        traceParent))
                .chain(inserted -> inserted.rowCount() == 0 ? Uni.createFrom().item(false) : connection.preparedQuery("""
                                INSERT INTO artifacts.artifact (job_id, name, owner, state, kind, location, content_type, updated_at)
                                VALUES ($1, $2, $3, $4, 'file', $5, $6, now())
                                ON CONFLICT (job_id, name) DO NOTHING""")
                        .execute(Tuple.of(job.jobId(), Manifest.NAME, job.owner(), ArtifactState.MISSING.name(),
                                "artifacts/" + Manifest.NAME, ContentTypes.of(Manifest.NAME)))
                        // what an earlier attempt's end made is made again from this attempt's results
                        .chain(() -> connection.preparedQuery("""
                                UPDATE artifacts.artifact SET state = $2, updated_at = now()
                                 WHERE job_id = $1 AND state <> $2""")
                                .execute(Tuple.of(job.jobId(), ArtifactState.MISSING.name())))
                        .replaceWith(true)));
    }

    /** Claims up to {@code limit} due builds for {@code lease}; each claim counts as an attempt. */
    public Uni<List<Claim>> claim(int limit, Duration lease) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(seconds(lease), limit)).map(rows -> {
            List<Claim> claims = new ArrayList<>();
            for (Row row : rows) {
                claims.add(new Claim(row.getUUID("job_id"), row.getString("owner"),
                        JobStatus.valueOf(row.getString("job_status")), row.getUUID("reused_from"),
                        row.getInteger("attempts"), row.getInteger("tries"), row.getInteger("job_attempt"),
                        row.getString("trace_parent")));
            }
            return claims;
        });
    }

    /**
     * Holds the build of {@code claim} for another {@code lease} from now, by the database's clock: only
     * while it is still that attempt's ({@link Hold#HELD}), never a build another replica has claimed since.
     */
    public Uni<Hold> renew(Claim claim, Duration lease) {
        return fenced("lease_until = now() + make_interval(secs => $3)", claim, seconds(lease));
    }

    /**
     * Every part is built; {@code note} says what settled without output (e.g. no log lines), or null.
     * This and the other two settlings change the row only while the attempt still holds it, and answer
     * what they found ({@link Hold}). An artifact asked for while the attempt ran ({@link #request}) makes
     * this and {@link #failed} settle the build as due again instead, counting its tries afresh.
     */
    public Uni<Hold> done(Claim claim, String note) {
        return fenced(settled("done") + ", last_error = $3", claim, note);
    }

    /** Out of attempts: the artifacts not ready are failed. */
    public Uni<Hold> failed(Claim claim, String error) {
        return fenced(settled("failed") + ", last_error = $3", claim, error);
    }

    /** Settles the build as {@code state}, or as due again at once when an artifact was asked for meanwhile. */
    private static String settled(String state) {
        return """
                state = CASE WHEN requested THEN 'pending' ELSE '%s' END, lease_until = NULL,
                next_attempt_at = CASE WHEN requested THEN now() ELSE next_attempt_at END,
                claims_before = CASE WHEN requested THEN attempts ELSE claims_before END""".formatted(state);
    }

    /**
     * Asks for an artifact made on request ({@link ArtifactState#ON_REQUEST}) of {@code owner}'s job: it
     * turns {@code pending}, and the job's build is due at once (a settled build opens again with its tries
     * counted afresh), or, while a build runs, that build settles as due again ({@code requested}), so an
     * attempt that began before the request never settles it away. In one transaction that holds the
     * finalization row first, as a deletion does. Answers whether this call asked for it: false when it
     * was not {@code on_request} (already asked for, made, failed, or not the owner's).
     */
    public Uni<Boolean> request(UUID jobId, String name, String owner) {
        return pool.withTransaction(connection -> connection
                .preparedQuery("SELECT 1 FROM artifacts.finalization WHERE job_id = $1 FOR NO KEY UPDATE")
                .execute(Tuple.of(jobId))
                .chain(held -> held.size() == 0 ? Uni.createFrom().item(false) : connection.preparedQuery("""
                                UPDATE artifacts.artifact SET state = $4, error = NULL, updated_at = now()
                                 WHERE job_id = $1 AND name = $2 AND owner = $3 AND state = $5""")
                        .execute(Tuple.of(jobId, name, owner, ArtifactState.PENDING.name(), ArtifactState.ON_REQUEST.name()))
                        .chain(asked -> asked.rowCount() == 0 ? Uni.createFrom().item(false) : connection.preparedQuery("""
                                        UPDATE artifacts.finalization
                                           SET requested = (state = 'building'),
                                               claims_before = CASE WHEN state IN ('done', 'failed') THEN attempts
                                                                    ELSE claims_before END,
                                               state = CASE WHEN state = 'building' THEN state ELSE 'pending' END,
                                               next_attempt_at = CASE WHEN state = 'building' THEN next_attempt_at
                                                                      ELSE now() END,
                                               updated_at = now()
                                         WHERE job_id = $1""")
                                .execute(Tuple.of(jobId)).replaceWith(true))));
    }

    /** A part failed: due again after {@code delay}. */
    public Uni<Hold> retry(Claim claim, Duration delay, String error) {
        return fenced("state = 'pending', lease_until = NULL, last_error = $3,"
                + " next_attempt_at = now() + make_interval(secs => $4)", claim, error, seconds(delay));
    }

    /**
     * One update of the claim's row, made only while the claim's attempt holds it; in the same statement,
     * whether the row is there at all (the snapshot the update started from), to tell a lost build from a
     * deleted job. {@code $1} and {@code $2} are the job and the attempt, the rest {@code values}.
     */
    private Uni<Hold> fenced(String set, Claim claim, Object... values) {
        Tuple tuple = Tuple.of(claim.jobId(), claim.attempt());
        for (Object value : values) {
            tuple.addValue(value);
        }
        return pool.preparedQuery("""
                        WITH changed AS (
                            UPDATE artifacts.finalization SET %s, updated_at = now()
                             WHERE job_id = $1 AND attempts = $2 AND state = 'building'
                            RETURNING 1)
                        SELECT EXISTS (SELECT 1 FROM changed) AS held,
                               EXISTS (SELECT 1 FROM artifacts.finalization WHERE job_id = $1) AS present"""
                        .formatted(set))
                .execute(tuple).map(rows -> {
                    Row row = rows.iterator().next();
                    if (row.getBoolean("held")) {
                        return Hold.HELD;
                    }
                    return row.getBoolean("present") ? Hold.LOST : Hold.GONE;
                });
    }

    /**
     * Removes a deleted job's sentinel, artifact rows and hit rows in one transaction. A build saving
     * at the same time holds the sentinel with a key-share lock: whichever commits first, the build's rows
     * do not outlive the deletion.
     */
    public Uni<Void> delete(UUID jobId) {
        Tuple job = Tuple.of(jobId);
        return pool.withTransaction(connection -> connection
                .preparedQuery("DELETE FROM artifacts.finalization WHERE job_id = $1").execute(job)
                .chain(() -> connection.preparedQuery("DELETE FROM artifacts.artifact WHERE job_id = $1").execute(job))
                .chain(() -> connection.preparedQuery("DELETE FROM artifacts.hit WHERE job_id = $1").execute(job))
                .replaceWithVoid());
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
