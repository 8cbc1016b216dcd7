package io.aegis.artifact.repository;

import io.aegis.artifact.domain.Artifact;
import io.aegis.artifact.domain.HitCursor;
import io.aegis.artifact.domain.HitSort;
import io.aegis.events.ArtifactState;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What serving reads, in SQL, always for one owner: artifact rows, a job's finalization, and pages
 * of its hit table. Every page is one index range scan (see {@link #page}).
 */
@ApplicationScoped
public class ResultsRepository {

    /** An artifact row as serving needs it. */
    public record ArtifactRow(String name, String kind, String location, ArtifactState state, Long size, String sha256,
                              Long crc32, String contentType, String error, Instant updatedAt) {

        public boolean isFile() {
            return Artifact.FILE.equals(kind);
        }

        /** The same row in another state (an artifact made on request, once asked for). */
        public ArtifactRow in(ArtifactState other) {
            return new ArtifactRow(name, kind, location, other, size, sha256, crc32, contentType, error, updatedAt);
        }
    }

    /**
     * A job as its owner sees its results: whether it is theirs at all (a finalization or an artifact
     * row in their name), the finalization's state, the hit table's readiness and shape: its column
     * names and their types, each tab-separated (the types null when none were recorded), and the job
     * whose results it reused, if any.
     */
    public record Results(boolean visible, String finalization, ArtifactState hits, String hitColumns, String hitTypes,
                          Long hitCount, UUID reusedFrom) {
    }

    /** One row of a page: its sort key, its place in hits.tsv, the line itself. */
    public record HitRow(double key, long ord, String line) {
    }

    /** One hit's place in hits.tsv and its line. */
    public record HitLine(long ord, String line) {
    }

    static final int SUBJECT_FETCH = 500;

    private static final String ARTIFACT_COLUMNS =
            "name, kind, location, state, size, sha256, crc32, content_type, error, updated_at";

    private final Pool pool;

    public ResultsRepository(Pool pool) {
        this.pool = pool;
    }

    /** The owner's artifact of that name, or null. */
    public Uni<ArtifactRow> artifact(UUID jobId, String name, String owner) {
        return pool.preparedQuery("SELECT " + ARTIFACT_COLUMNS
                        + " FROM artifacts.artifact WHERE job_id = $1 AND name = $2 AND owner = $3")
                .execute(Tuple.of(jobId, name, owner))
                .map(rows -> rows.size() == 0 ? null : artifactRow(rows.iterator().next()));
    }

    /** Every ready file of the owner's job, by name. */
    public Uni<List<ArtifactRow>> readyFiles(UUID jobId, String owner) {
        return pool.preparedQuery("SELECT " + ARTIFACT_COLUMNS + " FROM artifacts.artifact"
                        + " WHERE job_id = $1 AND owner = $2 AND kind = 'file' AND state = 'READY' ORDER BY name")
                .execute(Tuple.of(jobId, owner))
                .map(rows -> {
                    List<ArtifactRow> files = new ArrayList<>();
                    rows.forEach(row -> files.add(artifactRow(row)));
                    return files;
                });
    }

    public Uni<Results> results(UUID jobId, String owner) {
        return pool.preparedQuery("""
                        SELECT f.owner = $2 AS finalized_for, f.state, f.hit_columns, f.hit_types, f.hit_count, f.reused_from,
                               (SELECT a.state FROM artifacts.artifact a
                                 WHERE a.job_id = $1 AND a.name = 'hits' AND a.kind = 'table' AND a.owner = $2) AS hits,
                               EXISTS (SELECT 1 FROM artifacts.artifact a WHERE a.job_id = $1 AND a.owner = $2) AS owns
                          FROM (VALUES (1)) AS one
                          LEFT JOIN artifacts.finalization f ON f.job_id = $1""")
                .execute(Tuple.of(jobId, owner))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    boolean finalizedFor = Boolean.TRUE.equals(row.getBoolean("finalized_for"));
                    String hits = row.getString("hits");
                    return new Results(finalizedFor || row.getBoolean("owns"),
                            finalizedFor ? row.getString("state") : null,
                            hits == null ? ArtifactState.MISSING : ArtifactState.valueOf(hits),
                            finalizedFor ? row.getString("hit_columns") : null,
                            finalizedFor ? row.getString("hit_types") : null,
                            finalizedFor ? row.getLong("hit_count") : null,
                            finalizedFor ? row.getUUID("reused_from") : null);
                });
    }

    /** How many hits the job has, of one query when {@code query} is given. */
    public Uni<Long> count(UUID jobId, String query) {
        return (query == null
                ? pool.preparedQuery("SELECT count(*) FROM artifacts.hit WHERE job_id = $1").execute(Tuple.of(jobId))
                : pool.preparedQuery("SELECT count(*) FROM artifacts.hit WHERE job_id = $1 AND query = $2")
                        .execute(Tuple.of(jobId, query)))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Up to {@code limit} hits after {@code after} (from the start when null) in {@code sort}'s order,
     * of one query when {@code query} is given.
     *
     * <p>Every sort key is paired with {@code ord} ascending, and the indexes are
     * {@code (job_id, key [DESC], ord)}. Without a query the page is two index range scans joined:
     * the rest of the rows that share the cursor's key ({@code key = k AND ord > o}), then the rows
     * past it ({@code key > k}, or {@code < k} for the descending sorts), each stopping at the limit;
     * so a page never reads more than twice its length, however deep it is and however many rows
     * share one key (a row comparison cannot serve the descending sorts, whose tie order runs the other
     * way). With a query, the rows come from {@code hit_by_query} (one query's hits, bounded by the
     * search's target count) and are sorted in memory.
     */
    public Uni<List<HitRow>> page(UUID jobId, HitSort sort, String query, HitCursor after, int limit) {
        String key = sort.column();
        String order = key + (sort.ascending() ? "" : " DESC") + ", ord";
        String past = sort.ascending() ? ">" : "<";
        String columns = "SELECT " + key + " AS sort_key, ord, line FROM artifacts.hit WHERE job_id = $1";
        String sql;
        Tuple args = Tuple.of(jobId);
        if (query != null) {
            args.addString(query);
            String where = columns + " AND query = $2";
            if (after != null) {
                args.addDouble(after.key()).addLong(after.ord());
                where += " AND (" + key + " " + past + " $3 OR (" + key + " = $3 AND ord > $4))";
            }
            sql = where + " ORDER BY " + order + " LIMIT " + limit;
        } else if (after == null) {
            sql = columns + " ORDER BY " + order + " LIMIT " + limit;
        } else {
            args.addDouble(after.key()).addLong(after.ord());
            sql = "SELECT sort_key, ord, line FROM ("
                    + "(" + columns + " AND " + key + " = $2 AND ord > $3 ORDER BY ord LIMIT " + limit + ")"
                    + " UNION ALL "
                    + "(" + columns + " AND " + key + " " + past + " $2 ORDER BY " + order + " LIMIT " + limit + ")"
                    + ") AS page ORDER BY " + order.replace(key, "sort_key") + " LIMIT " + limit;
        }
        return pool.preparedQuery(sql).execute(args).map(rows -> {
            List<HitRow> page = new ArrayList<>(rows.size());
            rows.forEach(row -> page.add(new HitRow(row.getDouble("sort_key"), row.getLong("ord"), row.getString("line"))));
            return page;
        });
    }

    /** One hit's line, by its place in hits.tsv; null when the job has no such hit. */
    public Uni<String> hit(UUID jobId, long ord) {
        return pool.preparedQuery("SELECT line FROM artifacts.hit WHERE job_id = $1 AND ord = $2")
                .execute(Tuple.of(jobId, ord))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("line"));
    }

    /**
     * Up to {@code limit} hits past {@code after} (from the start when negative) in the order of
     * hits.tsv, of one query when {@code query} is given, of the chosen {@code ords} only when any
     * are: one range scan of the primary key, or of {@code hit_by_query}, per call.
     */
    public Uni<List<HitLine>> lines(UUID jobId, String query, List<Long> ords, long after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT ord, line FROM artifacts.hit WHERE job_id = $1 AND ord > $2");
        Tuple args = Tuple.of(jobId, after);
        where(sql, args, query, ords);
        sql.append(" ORDER BY ord LIMIT ").append(limit);
        return pool.preparedQuery(sql.toString()).execute(args).map(rows -> {
            List<HitLine> page = new ArrayList<>(rows.size());
            rows.forEach(row -> page.add(new HitLine(row.getLong("ord"), row.getString("line"))));
            return page;
        });
    }

    /**
     * The subjects of the job's hits, each once, in the order of its first hit; of one query, of the
     * chosen {@code ords}, as {@link #lines}. A job may have millions of hits, so the rows come through
     * a cursor, {@value #SUBJECT_FETCH} at a time, as they are taken (the connection is held, in a
     * read-only transaction, until the last is taken or the stream is cancelled).
     */
    public Multi<String> subjects(UUID jobId, String query, List<Long> ords) {
        StringBuilder sql = new StringBuilder("SELECT subject FROM artifacts.hit WHERE job_id = $1");
        Tuple args = Tuple.of(jobId);
        where(sql, args, query, ords);
        sql.append(" GROUP BY subject ORDER BY min(ord)");
        return Multi.createFrom().resourceFromUni(pool::getConnection,
                        connection -> connection.begin().onItem().transformToMulti(tx -> connection.prepare(sql.toString())
                                .onItem().transformToMulti(statement -> statement.createStream(SUBJECT_FETCH, args).toMulti())))
                .withFinalizer(SqlConnection::close)
                .map(row -> row.getString("subject"));
    }

    private static void where(StringBuilder sql, Tuple args, String query, List<Long> ords) {
        if (query != null) {
            args.addString(query);
            sql.append(" AND query = $").append(args.size());
        }
        if (!ords.isEmpty()) {
            args.addArrayOfLong(ords.toArray(Long[]::new));
            sql.append(" AND ord = ANY($").append(args.size()).append(")");
        }
    }

    private static ArtifactRow artifactRow(Row row) {
        OffsetDateTime updated = row.getOffsetDateTime("updated_at");
        return new ArtifactRow(row.getString("name"), row.getString("kind"), row.getString("location"),
                ArtifactState.valueOf(row.getString("state")), row.getLong("size"), row.getString("sha256"),
                row.getLong("crc32"), row.getString("content_type"), row.getString("error"),
                updated == null ? null : updated.toInstant());
    }
}
