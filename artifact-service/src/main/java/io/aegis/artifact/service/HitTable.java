package io.aegis.artifact.service;

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
 * row from its start (a deletion waits for it; a load that finds the row gone stops). Blocking JDBC.
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
    static long load(DataSource dataSource, UUID jobId, Path hitsTsv, List<Column> declared)
            throws IOException, SQLException {
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
                // the sentinel first, as a deletion takes it first: the two never wait on each other's rows
                try (PreparedStatement hold = connection.prepareStatement(
                        "SELECT 1 FROM artifacts.finalization WHERE job_id = ? FOR KEY SHARE")) {
                    hold.setObject(1, jobId);
                    try (var held = hold.executeQuery()) {
                        if (!held.next()) {
                            throw new JobRemovedException(jobId);
                        }
                    }
                }
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM artifacts.hit WHERE job_id = ?")) {
                    delete.setObject(1, jobId);
                    delete.executeUpdate();
                }
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
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE artifacts.finalization SET hit_columns = ?, hit_types = ?, hit_count = ?, updated_at = now()"
                                + " WHERE job_id = ?")) {
                    update.setString(1, String.join("\t", columns));
                    update.setString(2, typed ? String.join("\t", declared.stream().map(Column::type).toList()) : null);
                    update.setLong(3, count);
                    update.setObject(4, jobId);
                    update.executeUpdate();
                }
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
