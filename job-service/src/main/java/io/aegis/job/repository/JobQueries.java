package io.aegis.job.repository;

import io.aegis.events.JobStatus;
import io.aegis.job.domain.HistoryQuery;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reads that go straight to SQL: history pages, queue positions and the reconciler's and sweeper's scans. */
@ApplicationScoped
public class JobQueries {

    private static final String SUMMARY_COLUMNS = "id, name, file_name, pipeline, database_name, status, step, done, "
            + "total, attempt, error_code, reused_from, created_at, started_at, finished_at";

    /** A job in a history list. */
    public record JobSummary(UUID id, String name, String fileName, String pipeline, String database,
                             JobStatus status, String step, int done, int total, int attempt, String errorCode,
                             UUID reusedFrom, Instant createdAt, Instant startedAt, Instant finishedAt) {
    }

    public record Page(List<JobSummary> items, String nextCursor) {
    }

    private final Pool pool;

    public JobQueries(Pool pool) {
        this.pool = pool;
    }

    /** One page of history: the query's statements in turn until one fills the page (see {@link HistoryQuery#toSql}). */
    public Uni<Page> history(HistoryQuery query) {
        return page(query, query.toSql(SUMMARY_COLUMNS), 0);
    }

    private Uni<Page> page(HistoryQuery query, List<HistoryQuery.Sql> steps, int step) {
        HistoryQuery.Sql sql = steps.get(step);
        return rows(sql).chain(rows -> {
            if (rows.size() <= query.limit() && step + 1 < steps.size()) {
                return page(query, steps, step + 1);
            }
            List<JobSummary> items = new ArrayList<>();
            for (Row row : rows) {
                items.add(summary(row));
            }
            if (items.size() <= query.limit()) {
                return Uni.createFrom().item(new Page(items, null));
            }
            List<JobSummary> page = items.subList(0, query.limit());
            JobSummary last = page.getLast();
            return Uni.createFrom().item(new Page(List.copyOf(page),
                    new HistoryQuery.Cursor(last.createdAt(), last.id()).encode()));
        });
    }

    /**
     * Runs one statement of a page. A statement that must be planned with its values runs in a
     * transaction of its own that turns the generic plan off for it alone ({@code SET LOCAL}); the
     * other statements keep the cached plans that spare them the planning. Measured through this
     * client at 1M jobs: the text search's index statement p50 2.0 ms so, 10.6 ms by the generic plan.
     */
    private Uni<RowSet<Row>> rows(HistoryQuery.Sql sql) {
        if (!sql.customPlan()) {
            return pool.preparedQuery(sql.text()).execute(tuple(sql.params()));
        }
        return pool.withTransaction(connection -> connection.query("SET LOCAL plan_cache_mode = force_custom_plan")
                .execute().chain(() -> connection.preparedQuery(sql.text()).execute(tuple(sql.params()))));
    }

    /**
     * Where a queued job stands in the order the workers get the jobs: 1 for the next to start; null
     * when the job is not (or no longer) queued.
     *
     * <ul>
     *   <li>A job handed to the workers and not yet started ({@code dispatched_at} set): 1 + the jobs
     *       handed out before it and not started either, by {@code (dispatched_at, id)}.</li>
     *   <li>A job waiting for its turn ({@code dispatched_at} null), the {@code r}-th waiting job of its
     *       user (0 for the oldest, by {@code (created_at, id)}): 1 + every job handed out and not
     *       started + the user's {@code r} older waiting jobs + of every other user, the waiting jobs
     *       of rank below {@code r} and the one of rank {@code r} when it was submitted before this
     *       job. That is the round-robin of {@link #turns} (every user's oldest first, then every
     *       user's second, …; within a round by submit time).</li>
     * </ul>
     *
     * It is an estimate: the order the turns come in, not when. It leaves out the room each user
     * has beside the jobs already with the workers ({@code aegis.queue.in-flight-per-user}), so a
     * user with jobs still with the workers waits longer than the number says, and the others less.
     * It can grow: a job submitted later by a user with fewer waiting jobs comes in an earlier round.
     *
     * <p>Cost, with the partial indexes of migration V5: the jobs with the workers and not started
     * are read through {@code job_in_flight} (a few per user). The job's
     * own rank is counted in {@code job_waiting}, index only ({@code r} entries). The other users
     * with waiting jobs are found by skipping through {@code job_waiting} one step per user, as
     * {@link #turns} does, and of each only the oldest {@code r + 1} are read. So the cost follows
     * the number of users waiting plus the position, never a user's whole backlog: another user's
     * first job behind one user's 50,000 costs that user one step (measured on PostgreSQL 15: about
     * 30 ms with 3,300 users and 60,000 jobs waiting, 4 ms with 300 users).
     */
    public Uni<Long> queuePosition(UUID jobId) {
        return pool.preparedQuery("""
                WITH RECURSIVE me AS (
                    SELECT id, owner, created_at, dispatched_at FROM jobs.job WHERE id = $1 AND status = 'QUEUED'),
                place AS (
                    SELECT (SELECT count(*) FROM jobs.job w
                            WHERE w.owner = me.owner AND w.status = 'QUEUED' AND w.dispatched_at IS NULL
                              AND w.created_at < me.created_at)
                         + (SELECT count(*) FROM jobs.job w
                            WHERE w.owner = me.owner AND w.status = 'QUEUED' AND w.dispatched_at IS NULL
                              AND w.created_at = me.created_at AND w.id < me.id) AS r
                    FROM me WHERE me.dispatched_at IS NULL),
                owners (owner) AS (
                    (SELECT owner FROM jobs.job WHERE status = 'QUEUED' AND dispatched_at IS NULL
                         AND EXISTS (SELECT FROM place) ORDER BY owner LIMIT 1)
                    UNION ALL
                    SELECT (SELECT j.owner FROM jobs.job j
                            WHERE j.status = 'QUEUED' AND j.dispatched_at IS NULL AND j.owner > o.owner
                            ORDER BY j.owner LIMIT 1)
                    FROM owners o WHERE o.owner IS NOT NULL)
                SELECT 1 + CASE WHEN me.dispatched_at IS NOT NULL THEN (
                        SELECT count(*) FROM jobs.job h
                        WHERE h.status = 'QUEUED' AND h.dispatched_at IS NOT NULL
                          AND (h.dispatched_at, h.id) < (me.dispatched_at, me.id))
                    ELSE (SELECT count(*) FROM jobs.job WHERE status = 'QUEUED' AND dispatched_at IS NOT NULL)
                       + place.r
                       + (SELECT coalesce(sum(v.ahead), 0)::bigint FROM owners o CROSS JOIN LATERAL (
                            SELECT count(*) FILTER (WHERE f.turn <= place.r
                                    OR (f.created_at, f.id) < (me.created_at, me.id)) AS ahead
                            FROM (SELECT w.created_at, w.id, row_number() OVER (ORDER BY w.created_at, w.id) AS turn
                                  FROM jobs.job w
                                  WHERE w.owner = o.owner AND w.status = 'QUEUED' AND w.dispatched_at IS NULL
                                  ORDER BY w.created_at, w.id LIMIT place.r + 1) f) v
                          WHERE o.owner IS NOT NULL AND o.owner <> me.owner)
                    END
                FROM me LEFT JOIN place ON true""")
                .execute(Tuple.of(jobId))
                .map(rows -> {
                    var found = rows.iterator();
                    return found.hasNext() ? found.next().getLong(0) : null;
                });
    }

    /** Jobs a worker holds whose last sign of life is older than {@code silentBefore}. */
    public Uni<List<UUID>> silent(Instant silentBefore, int limit) {
        return ids("""
                SELECT id FROM jobs.job WHERE status IN ('QUEUED', 'RUNNING', 'CANCELLING')
                  AND (status = 'RUNNING' AND coalesce(heartbeat_at, dispatched_at) < $1
                    OR status = 'QUEUED' AND heartbeat_at < $1)
                ORDER BY heartbeat_at LIMIT $2""", Tuple.of(offset(silentBefore), limit));
    }

    /** Queued jobs no worker took since they were dispatched before {@code dispatchedBefore}. */
    public Uni<List<UUID>> untaken(Instant dispatchedBefore, int limit) {
        return ids("""
                SELECT id FROM jobs.job WHERE status = 'QUEUED' AND heartbeat_at IS NULL AND dispatched_at < $1
                ORDER BY dispatched_at LIMIT $2""", Tuple.of(offset(dispatchedBefore), limit));
    }

    /**
     * The waiting jobs whose turn has come: of each user, as many of the oldest as the user has room
     * for beside the jobs already with the workers ({@code inFlightPerUser}), taken round-robin
     * (every user's first, then every user's second, …), at most {@code limit}. The users with
     * waiting jobs are found by skipping through the index of waiting jobs, one step per user, and
     * only their oldest few are read: the cost follows the number of users, not of waiting jobs.
     */
    public Uni<List<UUID>> turns(int inFlightPerUser, int limit) {
        return ids("""
                WITH RECURSIVE owners (owner) AS (
                    (SELECT owner FROM jobs.job WHERE status = 'QUEUED' AND dispatched_at IS NULL ORDER BY owner LIMIT 1)
                    UNION ALL
                    SELECT (SELECT j.owner FROM jobs.job j
                            WHERE j.status = 'QUEUED' AND j.dispatched_at IS NULL AND j.owner > o.owner
                            ORDER BY j.owner LIMIT 1)
                    FROM owners o WHERE o.owner IS NOT NULL),
                room AS (
                    SELECT o.owner, $1 - (SELECT count(*) FROM jobs.job f WHERE f.owner = o.owner
                            AND (f.status IN ('RUNNING', 'CANCELLING') OR (f.status = 'QUEUED' AND f.dispatched_at IS NOT NULL)))
                        AS free
                    FROM owners o WHERE o.owner IS NOT NULL)
                SELECT t.id FROM room r CROSS JOIN LATERAL (
                    SELECT w.id, w.created_at, row_number() OVER (ORDER BY w.created_at, w.id) AS place
                    FROM (SELECT id, created_at FROM jobs.job
                          WHERE owner = r.owner AND status = 'QUEUED' AND dispatched_at IS NULL
                          ORDER BY created_at, id LIMIT greatest(r.free, 0)) w) t
                ORDER BY t.place, t.created_at LIMIT $2""", Tuple.of(inFlightPerUser, limit));
    }

    /** How many unfinished jobs {@code owner} has, counting no further than {@code cap}. */
    public Uni<Long> activeJobs(String owner, int cap) {
        return pool.preparedQuery("""
                        SELECT count(*) FROM (SELECT 1 FROM jobs.job
                            WHERE owner = $1 AND status IN ('QUEUED', 'RUNNING', 'CANCELLING') LIMIT $2) active""")
                .execute(Tuple.of(owner, cap))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Cancels no worker confirmed since before {@code requestedBefore}. */
    public Uni<List<UUID>> unconfirmedCancels(Instant requestedBefore, int limit) {
        return ids("""
                SELECT id FROM jobs.job WHERE status = 'CANCELLING' AND cancel_requested_at < $1
                ORDER BY cancel_requested_at LIMIT $2""", Tuple.of(offset(requestedBefore), limit));
    }

    /** Finished jobs created before {@code createdBefore}, oldest first. */
    public Uni<List<UUID>> expired(Instant createdBefore, int limit) {
        return ids("""
                SELECT id FROM jobs.job WHERE created_at < $1 AND status IN ('SUCCEEDED', 'FAILED', 'CANCELLED')
                ORDER BY created_at LIMIT $2""", Tuple.of(offset(createdBefore), limit));
    }

    private Uni<List<UUID>> ids(String sql, Tuple params) {
        return pool.preparedQuery(sql).execute(params).map(JobQueries::ids);
    }

    private static List<UUID> ids(RowSet<Row> rows) {
        List<UUID> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.getUUID(0)));
        return ids;
    }

    private static JobSummary summary(Row row) {
        return new JobSummary(row.getUUID("id"), row.getString("name"), row.getString("file_name"),
                row.getString("pipeline"), row.getString("database_name"), JobStatus.valueOf(row.getString("status")),
                row.getString("step"), row.getInteger("done"), row.getInteger("total"), row.getInteger("attempt"),
                row.getString("error_code"), row.getUUID("reused_from"), instant(row, "created_at"),
                instant(row, "started_at"), instant(row, "finished_at"));
    }

    private static Tuple tuple(List<Object> params) {
        Tuple tuple = Tuple.tuple();
        params.forEach(p -> tuple.addValue(p instanceof Instant at ? offset(at) : p));
        return tuple;
    }

    private static OffsetDateTime offset(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
