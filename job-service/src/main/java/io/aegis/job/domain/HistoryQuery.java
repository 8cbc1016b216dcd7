package io.aegis.job.domain;

import io.aegis.contracts.problem.Problem;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.events.JobStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
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
    /** A text search looks among this many of the caller's newest jobs first (see {@link #toSql}). */
    static final int RECENT = 1_000;
    /** A term the trigram index cannot serve is looked for among this many of the caller's newest jobs. */
    static final int SHORT_TERM_WINDOW = 5_000;
    /** At most this many {@link #pieces} of the term are offered to the planner beside the whole term. */
    static final int MAX_PIECES = 4;
    private static final int TRIGRAM = 3;
    private static final String PAGE = " ORDER BY created_at DESC, id DESC LIMIT $";

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

    /**
     * SQL and its positional parameters. {@code customPlan}: the statement must be planned with its
     * parameters' values every time it runs, never by the generic plan PostgreSQL keeps for a
     * statement prepared again and again (the pool caches prepared statements, and after five runs
     * PostgreSQL may plan one once for any values): the plan of the text search depends on the term.
     */
    public record Sql(String text, List<Object> params, boolean customPlan) {

        Sql(String text, List<Object> params) {
            this(text, params, false);
        }
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
     * The statements that answer the page, to run in order: the first whose answer fills the page
     * (one row more than it holds, to know whether another page follows) answers it, the last answers
     * it in any case. Without {@code q}, one statement, ordered and bounded along the index on (owner,
     * created_at, id), or, filtered by status, on (owner, status, created_at, id): one bounded branch
     * per status, merged.
     *
     * <p>With {@code q} (a case-insensitive substring of the name or file name) the cost must not
     * follow the length of the user's history, whether the term is common or rare. A walk newest first
     * is cheap when matches are common and reads the whole history when they are rare; the trigram
     * index of migration V6, on (owner, name, file_name), finds rare matches at once but hands over
     * every match when they are common. The planner chooses between them by estimates that cannot
     * know which of the user's jobs match, nor when (a term that matches only old jobs made it walk a
     * year of history). So the choice is made here, by trying:
     * <ol>
     * <li>the page among the caller's {@value #RECENT} newest jobs (after the cursor, with the other
     * filters): a bounded walk; full, it is the answer, as every job left out is older than those read;</li>
     * <li>otherwise the term is rare among them, and the matches are found through the trigram index
     * (materialized, so the planner cannot trade it for a walk again) and the newest kept. Beside the
     * whole term the statement states its {@link #pieces}, each implied by the term (what matches is
     * the same), and the planner looks up whichever its statistics of {@code name} and
     * {@code file_name} call the most selective for the fewest trigrams, checking the rest on the rows
     * found. A word in nearly every name ({@code run} of {@code run 1234}) is then left out of the
     * index scan instead of having its posting lists read whole: at 1M jobs, 741 shared buffers and
     * 10.3 ms with the whole term alone, 101 buffers and 1.9 ms with its pieces. The planner must see
     * the patterns: the statement is {@linkplain Sql#customPlan planned with its values} each time
     * (a generic plan, blind to them, looked up the whole term: 741 buffers again);</li>
     * <li>a term without {@value #TRIGRAM} letters or digits in a row has no trigram the index could
     * look up: it is looked for among the caller's {@value #SHORT_TERM_WINDOW} newest jobs (after the
     * cursor) only, so its cost stays bounded; matches older than those are not listed.</li>
     * </ol>
     * {@code columns} must include {@code created_at} and {@code id}, and {@code name} and
     * {@code file_name} with {@code q}.
     */
    public List<Sql> toSql(String columns) {
        if (text == null) {
            return List.of(walk(columns, true, limit + 1));
        }
        Sql recent = window(columns, RECENT);
        return List.of(recent, indexable(text) ? indexed(columns) : window(columns, SHORT_TERM_WINDOW));
    }

    /**
     * Whether the trigram index can serve a search for {@code term}: it holds trigrams of words (runs
     * of letters and digits), and a term with a word of three characters yields at least one of them.
     */
    static boolean indexable(String term) {
        int run = 0;
        for (int i = 0; i < term.length(); i = term.offsetByCodePoints(i, 1)) {
            run = Character.isLetterOrDigit(term.codePointAt(i)) ? run + 1 : 0;
            if (run >= TRIGRAM) {
                return true;
            }
        }
        return false;
    }

    /** The term as an ILIKE pattern matching it anywhere, its own {@code %}, {@code _} and {@code \} literal. */
    static String pattern(String term) {
        return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /**
     * The parts of {@code term} the trigram index can look up on their own: each word (run of letters
     * and digits) of three characters or more, and each shorter word between two other characters of
     * the term ({@code -12.} of {@code queries-12.fasta}), which tell pg_trgm where it begins and ends
     * and so give it trigrams. Every piece is a substring of the term, so a job whose name or file
     * name holds the term holds each piece: adding them as conditions changes nothing in what
     * matches, only what the planner may look up. Why: the trigrams of a common word ({@code run}, in
     * every name) have posting lists as long as the table, and an index scan of the whole term reads
     * them all even when its other words are rare; offered the pieces apart, the planner leaves the
     * common word to be checked on the few rows the rare one finds. The pieces with the most trigrams
     * come first (more trigrams, fewer rows that hold them all), at most {@value #MAX_PIECES}, so a
     * long term does not multiply the planning; duplicates (in any case) and a piece that is the
     * whole term are dropped.
     */
    static List<String> pieces(String term) {
        record Piece(String text, int trigrams) {
        }
        List<Piece> pieces = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        seen.add(term.toLowerCase(Locale.ROOT));
        int i = 0;
        while (i < term.length()) {
            if (!Character.isLetterOrDigit(term.codePointAt(i))) {
                i = term.offsetByCodePoints(i, 1);
                continue;
            }
            int start = i;
            int letters = 0;
            while (i < term.length() && Character.isLetterOrDigit(term.codePointAt(i))) {
                i = term.offsetByCodePoints(i, 1);
                letters++;
            }
            int from = start;
            int to = i;
            int trigrams = letters - 2;
            if (letters < TRIGRAM) {
                // pg_trgm pads a word with two blanks before and one after where the pattern says it
                // begins and ends: between two characters a short word has two or three trigrams of
                // its own. At an end of the term it has at most two ("a word that begins with q"), which
                // most names hold, while the planner, judging a pattern by the names it matches, not
                // by its trigrams, would take it for rare: measured, a recheck of all 200,000 of the
                // user's jobs (941 ms).
                if (start == 0 || i == term.length()) {
                    continue;
                }
                from = term.offsetByCodePoints(start, -1);
                to = term.offsetByCodePoints(i, 1);
                trigrams = letters + 1;
            }
            String piece = term.substring(from, to);
            if (seen.add(piece.toLowerCase(Locale.ROOT))) {
                pieces.add(new Piece(piece, trigrams));
            }
        }
        return pieces.stream().sorted(Comparator.comparingInt(Piece::trigrams).reversed())
                .limit(MAX_PIECES).map(Piece::text).toList();
    }

    /** The newest {@code size} jobs of the walk without the text, then the page of those that match it. */
    private Sql window(String columns, int size) {
        Sql newest = walk(columns, false, size);
        List<Object> params = new ArrayList<>(newest.params());
        params.add(pattern(text));
        int term = params.size();
        params.add(limit + 1);
        return new Sql("SELECT * FROM (" + newest.text() + ") AS recent WHERE " + matches(term) + PAGE
                + params.size(), List.copyOf(params));
    }

    /**
     * Every match through the trigram index, the newest kept: the whole term and its {@link #pieces}
     * are all conditions, the planner chooses which of them the index scan looks up.
     */
    private Sql indexed(String columns) {
        Where where = where(true);
        List<Object> params = new ArrayList<>(where.params());
        StringBuilder pieces = new StringBuilder();
        for (String piece : pieces(text)) {
            params.add(pattern(piece));
            pieces.append(" AND ").append(matches(params.size()));
        }
        String status = where.statusParams().isEmpty() ? "" : where.statusParams().stream().map(n -> "$" + n)
                .collect(Collectors.joining(", ", " AND status IN (", ")"));
        params.add(limit + 1);
        return new Sql("WITH hits AS MATERIALIZED (SELECT " + columns + " FROM jobs.job WHERE " + where.sql() + pieces
                + status + ") SELECT * FROM hits" + PAGE + params.size(), List.copyOf(params), true);
    }

    /** The newest {@code rows} jobs matching the filters (the text only if {@code withText}) along the indexes. */
    private Sql walk(String columns, boolean withText, int rows) {
        Where where = where(withText);
        List<Object> params = new ArrayList<>(where.params());
        params.add(rows);
        String page = PAGE + params.size();
        String select = "SELECT " + columns + " FROM jobs.job WHERE " + where.sql();
        List<Integer> statusParams = where.statusParams();
        if (statusParams.size() <= 1) {
            String status = statusParams.isEmpty() ? "" : " AND status = $" + statusParams.getFirst();
            return new Sql(select + status + page, List.copyOf(params));
        }
        String branches = statusParams.stream().map(n -> "(" + select + " AND status = $" + n + page + ")")
                .collect(Collectors.joining(" UNION ALL "));
        return new Sql("SELECT * FROM (" + branches + ") AS page" + page, List.copyOf(params));
    }

    /** The conditions but the statuses, whose parameters it adds and numbers. */
    private record Where(String sql, List<Object> params, List<Integer> statusParams) {
    }

    private Where where(boolean withText) {
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
        if (withText && text != null) {
            params.add(pattern(text));
            where.append(" AND ").append(matches(params.size()));
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
        return new Where(where.toString(), params, statusParams);
    }

    private static String matches(int param) {
        return "(name ILIKE $" + param + " OR file_name ILIKE $" + param + ")";
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
