package io.aegis.job.domain;

import io.aegis.contracts.problem.Problem;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.events.JobStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One page of a user's history: their jobs newest first, filtered, continued by a keyset cursor
 * (the last row's creation time and id) so every page costs the same however deep it is.
 */
public record HistoryQuery(String owner, int limit, Cursor after, Set<JobStatus> statuses, String pipeline,
                           String database, String text, Instant from, Instant to) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    private static final int MAX_TEXT = 200;

    /** Where the previous page ended. */
    public record Cursor(Instant createdAt, UUID id) {

        public String encode() {
            String raw = createdAt.getEpochSecond() + "." + createdAt.getNano() + ":" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String token) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                int colon = raw.indexOf(':');
                int dot = raw.indexOf('.');
                Instant at = Instant.ofEpochSecond(Long.parseLong(raw.substring(0, dot)),
                        Long.parseLong(raw.substring(dot + 1, colon)));
                return new Cursor(at, UUID.fromString(raw.substring(colon + 1)));
            } catch (RuntimeException e) {
                throw invalid("cursor", "is not a cursor this service gave out");
            }
        }
    }

    /** SQL and its positional parameters. */
    public record Sql(String text, List<Object> params) {
    }

    /** Parses the query parameters of {@code GET /api/v1/jobs}; anything malformed is a 400 naming the field. */
    public static HistoryQuery parse(String owner, String limit, String cursor, List<String> status, String pipeline,
                                     String database, String text, String from, String to) {
        int size = DEFAULT_LIMIT;
        if (limit != null && !limit.isBlank()) {
            try {
                size = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                throw invalid("limit", "must be a whole number from 1 to " + MAX_LIMIT);
            }
            if (size < 1 || size > MAX_LIMIT) {
                throw invalid("limit", "must be from 1 to " + MAX_LIMIT);
            }
        }
        Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
        for (String value : status == null ? List.<String>of() : status) {
            for (String name : value.split(",")) {
                if (!name.isBlank()) {
                    try {
                        statuses.add(JobStatus.valueOf(name.trim().toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        throw invalid("status", "'" + name.trim() + "' is not a job status");
                    }
                }
            }
        }
        if (text != null && text.length() > MAX_TEXT) {
            throw invalid("q", "is longer than " + MAX_TEXT + " characters");
        }
        return new HistoryQuery(owner, size, cursor == null || cursor.isBlank() ? null : Cursor.decode(cursor),
                Set.copyOf(statuses), blankToNull(pipeline), blankToNull(database), blankToNull(text),
                instant("from", from), instant("to", to));
    }

    /**
     * The page's SQL: one more row than the page holds (to know whether another page follows),
     * ordered and bounded along the index on (owner, created_at, id), or, filtered by status, on
     * (owner, status, created_at, id): one bounded branch per status, merged. {@code columns} must
     * include {@code created_at} and {@code id}.
     */
    public Sql toSql(String columns) {
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder("owner = $1");
        params.add(owner);
        List<Integer> statusParams = new ArrayList<>();
        statuses.stream().map(Enum::name).sorted().forEach(status -> {
            params.add(status);
            statusParams.add(params.size());
        });
        if (pipeline != null) {
            params.add(pipeline);
            where.append(" AND pipeline = $").append(params.size());
        }
        if (database != null) {
            params.add(database);
            where.append(" AND database_name = $").append(params.size());
        }
        if (text != null) {
            params.add("%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            where.append(" AND (name ILIKE $").append(params.size()).append(" OR file_name ILIKE $")
                    .append(params.size()).append(")");
        }
        if (from != null) {
            params.add(from);
            where.append(" AND created_at >= $").append(params.size());
        }
        if (to != null) {
            params.add(to);
            where.append(" AND created_at < $").append(params.size());
        }
        if (after != null) {
            params.add(after.createdAt());
            params.add(after.id());
            where.append(" AND (created_at, id) < ($").append(params.size() - 1).append(", $")
                    .append(params.size()).append(")");
        }
        params.add(limit + 1);
        String page = " ORDER BY created_at DESC, id DESC LIMIT $" + params.size();
        String select = "SELECT " + columns + " FROM jobs.job WHERE " + where;
        if (statusParams.size() <= 1) {
            String status = statusParams.isEmpty() ? "" : " AND status = $" + statusParams.getFirst();
            return new Sql(select + status + page, List.copyOf(params));
        }
        String branches = statusParams.stream().map(n -> "(" + select + " AND status = $" + n + page + ")")
                .collect(Collectors.joining(" UNION ALL "));
        return new Sql("SELECT * FROM (" + branches + ") AS page" + page, List.copyOf(params));
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw invalid(field, "must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.of(400, "INVALID_QUERY", "Invalid history query",
                field + " " + message + ".").withErrors(List.of(new Problem.FieldError(field, message))));
    }
}
