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
 * with {@code FOR UPDATE SKIP LOCKED} so replicas never take the same one, and settling them.
 */
@ApplicationScoped
public class FinalizationRepository {

    /** A build this replica has claimed; {@code attempt} counts it (1 for the first). */
    public record Claim(UUID jobId, String owner, JobStatus status, UUID reusedFrom, int attempt) {
    }

    private static final String CLAIM = """
            UPDATE artifacts.finalization
               SET state = 'building', attempts = attempts + 1,
                   lease_until = now() + make_interval(secs => $1), updated_at = now()
             WHERE job_id IN (SELECT job_id FROM artifacts.finalization
                               WHERE (state = 'pending' AND next_attempt_at <= now())
                                  OR (state = 'building' AND lease_until < now())
                               ORDER BY next_attempt_at
                               LIMIT $2
                               FOR UPDATE SKIP LOCKED)
            RETURNING job_id, owner, job_status, reused_from, attempts""";

    private final Pool pool;

    public FinalizationRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Inserts the sentinel of a finished job, due at once, with its manifest's row ({@code missing}
     * until a build takes it up). Answers false when the job already has one: a duplicate terminal
     * event, which then changes nothing.
     */
    public Uni<Boolean> insert(JobStateEvent job) {
        return pool.withTransaction(connection -> connection.preparedQuery("""
                        INSERT INTO artifacts.finalization (job_id, owner, job_status, reused_from, state, attempts,
                                                  next_attempt_at, created_at, updated_at)
                        VALUES ($1, $2, $3, $4, 'pending', 0, now(), now(), now())
                        ON CONFLICT (job_id) DO NOTHING""")
                .execute(Tuple.of(job.jobId(), job.owner(), job.status().name(), job.reusedFrom()))
                .chain(inserted -> inserted.rowCount() == 0 ? Uni.createFrom().item(false) : connection.preparedQuery("""
                                INSERT INTO artifacts.artifact (job_id, name, owner, state, kind, location, content_type, updated_at)
                                VALUES ($1, $2, $3, $4, 'file', $5, $6, now())
                                ON CONFLICT (job_id, name) DO NOTHING""")
                        .execute(Tuple.of(job.jobId(), Manifest.NAME, job.owner(), ArtifactState.MISSING.name(),
                                "artifacts/" + Manifest.NAME, ContentTypes.of(Manifest.NAME)))
                        .replaceWith(true)));
    }

    /** Claims up to {@code limit} due builds for {@code lease}; each claim counts as an attempt. */
    public Uni<List<Claim>> claim(int limit, Duration lease) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(seconds(lease), limit)).map(rows -> {
            List<Claim> claims = new ArrayList<>();
            for (Row row : rows) {
                claims.add(new Claim(row.getUUID("job_id"), row.getString("owner"),
                        JobStatus.valueOf(row.getString("job_status")), row.getUUID("reused_from"),
                        row.getInteger("attempts")));
            }
            return claims;
        });
    }

    /** Holds a claimed build for another {@code lease}; false once the row is gone (the job was deleted). */
    public Uni<Boolean> renew(UUID jobId, Duration lease) {
        return pool.preparedQuery("""
                        UPDATE artifacts.finalization SET lease_until = now() + make_interval(secs => $2), updated_at = now()
                         WHERE job_id = $1 AND state = 'building'""")
                .execute(Tuple.of(jobId, seconds(lease))).map(rows -> rows.rowCount() > 0);
    }

    /**
     * Every part is built; {@code note} says what settled without output (e.g. no log lines), or null.
     * This and the other two settlings answer whether the job's row was still there (false once the
     * job was deleted).
     */
    public Uni<Boolean> done(UUID jobId, String note) {
        return settle(jobId, Finalization.DONE, note);
    }

    /** Out of attempts: the artifacts not ready are failed. */
    public Uni<Boolean> failed(UUID jobId, String error) {
        return settle(jobId, Finalization.FAILED, error);
    }

    /** A part failed: due again after {@code delay}. */
    public Uni<Boolean> retry(UUID jobId, Duration delay, String error) {
        return pool.preparedQuery("""
                        UPDATE artifacts.finalization SET state = 'pending', lease_until = NULL, last_error = $3,
                               next_attempt_at = now() + make_interval(secs => $2), updated_at = now()
                         WHERE job_id = $1""")
                .execute(Tuple.of(jobId, seconds(delay), error)).map(rows -> rows.rowCount() > 0);
    }

    private Uni<Boolean> settle(UUID jobId, String state, String error) {
        return pool.preparedQuery("""
                        UPDATE artifacts.finalization SET state = $2, lease_until = NULL, last_error = $3, updated_at = now()
                         WHERE job_id = $1""")
                .execute(Tuple.of(jobId, state, error)).map(rows -> rows.rowCount() > 0);
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
