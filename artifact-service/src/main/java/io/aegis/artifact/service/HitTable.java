package io.aegis.artifact.service;

import io.aegis.artifact.repository.FinalizationRepository.Claim;
import io.aegis.artifact.repository.FinalizationRepository.Hold;
import io.aegis.pipelines.PipelineDefinition.Column;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Loads a job's hits.tsv into the {@code hit} table with one {@code COPY … FROM STDIN}, streamed line
 * by line (never the whole list in memory), in one transaction that first deletes the job's earlier
 * rows and finally records the columns, their types and the count on its finalization row (the hit
 * pages are typed by them, {@link io.aegis.artifact.domain.JobHitColumns}): a load cut short
 * leaves the previous state, a load run again gives the same rows. It holds the job's finalization
 * row from its start, while the claim's attempt holds the build (a deletion and another replica's claim
 * wait for it; a load that finds the row gone, or claimed by a later attempt, stops). Blocking JDBC.
 */
final class HitTable {

    static final String NAME = "hits";
    static final String QUERY = "qseqid";
    static final String SUBJECT = "sseqid";
    static final String IDENTITY = "pident";
    static final String EVALUE = "evalue";
    static final String BITSCORE = "bitscore";

    private static final String COPY =
            "COPY artifacts.hit (job_id, ord, query, subject, identity, evalue, bitscore, line) FROM STDIN";

    private HitTable() {
    }

    /**
     * Answers the number of rows loaded.
     *
     * @param declared the hit columns, each with the type the worker recorded for it (every type null when it recorded none)
     */
    static long load(DataSource dataSource, Claim claim, Path hitsTsv, List<Column> declared)
            throws IOException, SQLException {
        UUID jobId = claim.jobId();
        List<String> columns = declared.stream().map(Column::name).toList();
        boolean typed = declared.stream().allMatch(column -> column.type() != null);
        int query = index(columns, QUERY);
        int subject = index(columns, SUBJECT);
        int identity = index(columns, IDENTITY);
        int evalue = index(columns, EVALUE);
        int bitscore = index(columns, BITSCORE);
        int widest = Math.max(Math.max(Math.max(query, subject), Math.max(identity, evalue)), bitscore);
        String job = jobId.toString();
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                holdAndEmpty(connection, claim);
                long count;
                PGConnection pg = connection.unwrap(PGConnection.class);
                try (Writer out = new BufferedWriter(new OutputStreamWriter(
                        new PGCopyOutputStream(pg, COPY, 1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
                    count = HitsFile.forEachLine(hitsTsv, (ord, line, fields) -> {
                        if (fields.length <= widest) {
                            throw new IOException("Line " + (ord + 1) + " of hits.tsv has " + fields.length
                                    + " fields, expected " + columns.size());
                        }
                        out.write(job);
                        out.write('\t');
                        out.write(Long.toString(ord));
                        out.write('\t');
                        escaped(out, fields[query]);
                        out.write('\t');
                        escaped(out, fields[subject]);
                        out.write('\t');
                        out.write(number(fields[identity], IDENTITY, ord));
                        out.write('\t');
                        out.write(number(fields[evalue], EVALUE, ord));
                        out.write('\t');
                        out.write(number(fields[bitscore], BITSCORE, ord));
                        out.write('\t');
                        escaped(out, line);
                        out.write('\n');
                    });
                }
                record(connection, jobId, String.join("\t", columns),
                        typed ? String.join("\t", declared.stream().map(Column::type).toList()) : null, count);
                connection.commit();
                return count;
            } catch (IOException | SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    /**
     * Gives a job that reused an earlier job's results that job's hit rows, with one
     * {@code INSERT … SELECT} inside the database (nothing parsed, nothing sent over the wire), and its
     * columns, their types and its count, in one transaction that holds both jobs' finalization rows (a
     * deletion of either waits for it). Answers the number of rows copied; empty, with nothing changed,
     * when the earlier job's table is not there to copy (it was deleted, or its count disagrees), and
     * the hits are then loaded from the linked hits.tsv instead ({@link #load}). Blocking JDBC.
     */
    static OptionalLong copy(DataSource dataSource, Claim claim, UUID reusedFrom) throws SQLException {
        UUID jobId = claim.jobId();
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                holdAndEmpty(connection, claim);
                String columns;
                String types;
                long expected;
                try (PreparedStatement earlier = connection.prepareStatement("SELECT hit_columns, hit_types, hit_count"
                        + " FROM artifacts.finalization WHERE job_id = ? AND hit_columns IS NOT NULL"
                        + " AND hit_count IS NOT NULL FOR KEY SHARE")) {
                    earlier.setObject(1, reusedFrom);
                    try (var found = earlier.executeQuery()) {
                        if (!found.next()) {
                            connection.rollback();
                            return OptionalLong.empty();
                        }
                        columns = found.getString(1);
                        types = found.getString(2);
                        expected = found.getLong(3);
                    }
                }
                long count;
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO artifacts.hit (job_id, ord, query, subject, identity, evalue, bitscore, line)"
                                + " SELECT ?, ord, query, subject, identity, evalue, bitscore, line"
                                + " FROM artifacts.hit WHERE job_id = ?")) {
                    insert.setObject(1, jobId);
                    insert.setObject(2, reusedFrom);
                    count = insert.executeLargeUpdate();
                }
                if (count != expected) {
                    connection.rollback();
                    return OptionalLong.empty();
                }
                record(connection, jobId, columns, types, count);
                connection.commit();
                return OptionalLong.of(count);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    /**
     * Holds the job's finalization row while the claim's attempt holds the build, then deletes the job's
     * earlier rows. The sentinel comes first, as a deletion takes it first: the two never wait on each
     * other's rows.
     */
    private static void holdAndEmpty(Connection connection, Claim claim) throws SQLException {
        UUID jobId = claim.jobId();
        try (PreparedStatement hold = connection.prepareStatement(
                "SELECT attempts, state FROM artifacts.finalization WHERE job_id = ? FOR KEY SHARE")) {
            hold.setObject(1, jobId);
            try (var held = hold.executeQuery()) {
                if (!held.next()) {
                    throw new JobRemovedException(jobId);
                }
                if (Hold.of(held.getInt(1), held.getString(2), claim.attempt()) != Hold.HELD) {
                    throw new LeaseLostException(jobId, claim.attempt());
                }
            }
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM artifacts.hit WHERE job_id = ?")) {
            delete.setObject(1, jobId);
            delete.executeUpdate();
        }
    }

    /** Records the table's columns, their types (null when none were recorded) and its count on the finalization. */
    private static void record(Connection connection, UUID jobId, String columns, String types, long count)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE artifacts.finalization SET hit_columns = ?, hit_types = ?, hit_count = ?, updated_at = now()"
                        + " WHERE job_id = ?")) {
            update.setString(1, columns);
            update.setString(2, types);
            update.setLong(3, count);
            update.setObject(4, jobId);
            update.executeUpdate();
        }
    }

    private static int index(List<String> columns, String name) throws IOException {
        int index = columns.indexOf(name);
        if (index < 0) {
            throw new IOException("The hit table needs the column " + name + "; the hits have "
                    + String.join(", ", columns));
        }
        return index;
    }

    private static String number(String field, String column, long ord) throws IOException {
        try {
            double value = Double.parseDouble(field);
            if (!Double.isNaN(value)) {
                return Double.toString(value);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException("Line " + (ord + 1) + " of hits.tsv: " + column + " is not a number: '" + field + "'");
    }

    /** A value in COPY's text format: backslash, tab, line feed and carriage return escaped. */
    private static void escaped(Writer out, String value) throws IOException {
        int from = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String escape = switch (c) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (escape != null) {
                out.write(value, from, i - from);
                out.write(escape);
                from = i + 1;
            }
        }
        out.write(value, from, value.length() - from);
    }
}
