package io.aegis.job.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Whether a finished job's finalization settled (migration V8: {@code finalized_attempt}, and the
 * sweep's {@code reannounced_at} and {@code reannounce_count}), in SQL: the {@code Job} entity leaves
 * these columns out, so no change of a job's state ever writes them and a new job gets their defaults.
 * Neither statement touches the job's {@code version}: recording a manifest or a re-announcement is
 * no change of the job, and makes no concurrent change of it retry.
 */
@ApplicationScoped
public class FinalizationRecords {

    /**
     * The finished jobs whose finalization has not settled, ended in {@code [since, graceBefore)}, never
     * announced again since they ended or last announced again before {@code graceBefore}, and not yet
     * given up ({@code reannounce_count} past the limit), oldest end first; claimed: their rows stay
     * locked until the transaction ends, another replica's sweep skips them, and they are marked
     * announced again at {@code now}. A count left from an earlier end of the job (before a retry)
     * starts again from 0. Read through the partial index {@code job_unfinalized}.
     */
    private static final String CLAIM = """
            WITH due AS (
                SELECT id, CASE WHEN reannounced_at IS NULL OR reannounced_at < finished_at THEN 0
                                ELSE reannounce_count END AS tries
                FROM jobs.job
                WHERE status IN ('SUCCEEDED', 'FAILED', 'CANCELLED') AND finalized_attempt < attempt
                  AND finished_at >= :since AND finished_at < :graceBefore
                  AND (reannounced_at IS NULL OR reannounced_at < finished_at
                       OR (reannounced_at < :graceBefore AND reannounce_count <= :maxReannounces))
                ORDER BY finished_at
                LIMIT :limit
                FOR UPDATE SKIP LOCKED)
            UPDATE jobs.job j SET reannounced_at = :now, reannounce_count = due.tries + 1
            FROM due WHERE j.id = due.id
            RETURNING j.id, j.pipeline, due.tries""";

    /** A job the sweep claimed: its terminal state was announced again {@code reannounced} times before. */
    public record Unsettled(UUID id, String pipeline, int reannounced) {
    }

    private final Pool pool;

    public FinalizationRecords(Pool pool) {
        this.pool = pool;
    }

    /**
     * Records that the finalization of {@code attempt} of the job settled, when that attempt is the
     * job's current one and its end; true when this changed the record. Anything else (an earlier
     * attempt's manifest, a duplicate, a job deleted since) changes nothing.
     */
    public Uni<Boolean> settled(UUID jobId, int attempt) {
        return pool.preparedQuery("""
                        UPDATE jobs.job SET finalized_attempt = $2
                        WHERE id = $1 AND attempt = $2 AND status IN ('SUCCEEDED', 'FAILED', 'CANCELLED')
                          AND (finalized_attempt IS NULL OR finalized_attempt < $2)""")
                .execute(Tuple.of(jobId, attempt))
                .map(rows -> rows.rowCount() > 0);
    }

    /**
     * Claims up to {@code limit} unsettled jobs due for the sweep ({@link #CLAIM}), in the caller's
     * transaction (Panache's session): the announcements the caller writes commit with the claim.
     */
    public Uni<List<Unsettled>> claim(Instant now, Instant graceBefore, Instant since, int maxReannounces, int limit) {
        return Panache.getSession().chain(session -> session.createNativeQuery(CLAIM, Object[].class)
                        .setParameter("now", now)
                        .setParameter("graceBefore", graceBefore)
                        .setParameter("since", since)
                        .setParameter("maxReannounces", maxReannounces)
                        .setParameter("limit", limit)
                        .getResultList())
                .map(rows -> {
                    List<Unsettled> claimed = new ArrayList<>(rows.size());
                    for (Object[] row : rows) {
                        claimed.add(new Unsettled((UUID) row[0], (String) row[1], ((Number) row[2]).intValue()));
                    }
                    return claimed;
                });
    }
}
