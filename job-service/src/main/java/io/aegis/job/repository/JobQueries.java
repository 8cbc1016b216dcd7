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

    public Uni<Page> history(HistoryQuery query) {
        HistoryQuery.Sql sql = query.toSql(SUMMARY_COLUMNS);
        return pool.preparedQuery(sql.text()).execute(tuple(sql.params())).map(rows -> {
            List<JobSummary> items = new ArrayList<>();
            for (Row row : rows) {
                items.add(summary(row));
            }
            if (items.size() <= query.limit()) {
                return new Page(items, null);
            }
            List<JobSummary> page = items.subList(0, query.limit());
            JobSummary last = page.getLast();
            return new Page(List.copyOf(page), new HistoryQuery.Cursor(last.createdAt(), last.id()).encode());
        });
    }

    /** 1 for the next queued job to start, counting the queued jobs submitted before it. */
    public Uni<Long> queuePosition(Instant createdAt) {
        return pool.preparedQuery("SELECT count(*) FROM jobs.job WHERE status = 'QUEUED' AND created_at < $1")
                .execute(Tuple.of(offset(createdAt)))
                .map(rows -> rows.iterator().next().getLong(0) + 1);
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
