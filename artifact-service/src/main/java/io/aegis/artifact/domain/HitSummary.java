package io.aegis.artifact.domain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The summary of a job's hits, aggregated while the hits stream past, one line at a time: the hit
 * count, per query its hit count, best e-value and best bit score (every query of the job's input, in
 * input order, when they were {@linkplain #query declared} first: a query without hits has a count of 0
 * and no best values; then any other query in order of first appearance),
 * the distribution of percent identity (20 bins of 5 %, 100 % in the last) and of e-values (one bin
 * per decade from {@code ≤ 1e-180}, where an e-value of 0 falls, up to {@code ≤ 1e3} and then
 * {@code inf}), and the 20 subjects hit most often.
 *
 * <p>Memory grows with the number of queries only, never with the number of hits: the histograms
 * are fixed, and the top subjects are counted by the Space-Saving algorithm in at most
 * {@code subjectCapacity} counters. While the distinct subjects fit, the top subjects are exact;
 * past that, every subject hit more than {@code hits / subjectCapacity} times is still listed, its
 * count may be over by at most that much, its best bit score is the best since it was last counted,
 * and the JSON says {@code "topSubjectsExact": false}.
 *
 * <pre>{"hits": n, "queries": m, "queriesWithHits": q,
 *  "perQuery": [{"query": …, "hits": …, "bestEvalue": …, "bestBitscore": …}, …, {"query": …, "hits": 0}, …],
 *  "identity": {"binWidth": 5, "counts": [20 counts]},
 *  "evalue": {"bins": [{"upTo": "1e-180", "count": …}, …, {"upTo": "inf", "count": …}]},
 *  "topSubjects": [{"subject": …, "hits": …, "bestBitscore": …}, …], "topSubjectsExact": true}</pre>
 *
 * {@code queries} is there only when the input's queries were declared (a job whose input could not be
 * read lists its queries with hits alone).
 *
 * <p>Not thread-safe: one instance per build.
 */
public final class HitSummary {

    public static final int DEFAULT_SUBJECT_CAPACITY = 10_000;
    public static final int TOP_SUBJECTS = 20;
    public static final int IDENTITY_BIN_WIDTH = 5;
    public static final int IDENTITY_BINS = 20;
    /** The first e-value bin holds everything up to 10^LOWEST_DECADE, 0 included. */
    public static final int LOWEST_DECADE = -180;
    /** The last bounded e-value bin ends at 10^HIGHEST_DECADE (the highest threshold a pipeline takes). */
    public static final int HIGHEST_DECADE = 3;

    /** A subject among the most hit; {@code hits} is exact when {@link #topSubjectsExact()}. */
    public record Subject(String subject, long hits, double bestBitscore) {
    }

    private static final JsonFactory JSON = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private static final double[] DECADE_BOUNDS = decadeBounds();

    private static final class PerQuery {
        long hits;
        double bestEvalue = Double.POSITIVE_INFINITY;
        double bestBitscore = Double.NEGATIVE_INFINITY;
    }

    private final int query;
    private final int subject;
    private final int identity;
    private final int evalue;
    private final int bitscore;
    private final int widest;
    private final Map<String, PerQuery> perQuery = new LinkedHashMap<>();
    private final long[] identityCounts = new long[IDENTITY_BINS];
    private final long[] evalueCounts = new long[DECADE_BOUNDS.length + 1];
    private final SpaceSaving subjects;
    private long hits;
    private int withHits;
    private boolean queriesDeclared;

    private HitSummary(int[] indexes, int subjectCapacity) {
        this.query = indexes[0];
        this.subject = indexes[1];
        this.identity = indexes[2];
        this.evalue = indexes[3];
        this.bitscore = indexes[4];
        this.widest = HitColumns.widest(indexes);
        this.subjects = new SpaceSaving(subjectCapacity);
    }

    /**
     * A summary of hits with these columns (as in the pipeline's {@code columns}), counting top
     * subjects in {@link #DEFAULT_SUBJECT_CAPACITY} counters.
     *
     * @throws IllegalArgumentException when qseqid, sseqid, pident, evalue or bitscore is missing
     */
    public static HitSummary forColumns(List<String> columns) {
        return forColumns(columns, DEFAULT_SUBJECT_CAPACITY);
    }

    /**
     * @param subjectCapacity how many distinct subjects are counted at once (at least 1)
     * @throws IllegalArgumentException when a required column is missing or the capacity is below 1
     */
    public static HitSummary forColumns(List<String> columns, int subjectCapacity) {
        return new HitSummary(HitColumns.require(columns, "The hit summary",
                "qseqid", "sseqid", "pident", "evalue", "bitscore"), subjectCapacity);
    }

    /**
     * Declares the next query of the job's input, by the id its hits carry, before any hit is counted:
     * listed in this order, with a count of 0 until hits of it come. An id declared twice is listed once.
     */
    public void query(String id) {
        queriesDeclared = true;
        perQuery.putIfAbsent(id, new PerQuery());
    }

    /**
     * Counts one hit, given as the tab-separated fields of its line.
     *
     * @throws IllegalArgumentException when the line is too short or a number does not parse
     */
    public void accept(String[] fields) {
        HitColumns.requireWidth(fields, widest);
        double pident = HitColumns.number(fields, identity, "pident");
        double e = HitColumns.number(fields, evalue, "evalue");
        double bits = HitColumns.number(fields, bitscore, "bitscore");

        hits++;
        PerQuery row = perQuery.computeIfAbsent(fields[query], q -> new PerQuery());
        if (row.hits++ == 0) {
            withHits++;
        }
        row.bestEvalue = Math.min(row.bestEvalue, e);
        row.bestBitscore = Math.max(row.bestBitscore, bits);
        identityCounts[identityBin(pident)]++;
        evalueCounts[evalueBin(e)]++;
        subjects.add(fields[subject], bits);
    }

    /** Counts one line of hits.tsv; blank lines and {@code #} comments are skipped. */
    public void acceptLine(String line) {
        if (!line.isBlank() && !line.startsWith("#")) {
            accept(line.split("\t", -1));
        }
    }

    public long hits() {
        return hits;
    }

    public int queriesWithHits() {
        return withHits;
    }

    /** The queries listed: every declared one, and any other that has hits. */
    public int queries() {
        return perQuery.size();
    }

    /** The most hit subjects so far, most first (ties: higher best bit score, then name). */
    public List<Subject> topSubjects() {
        return subjects.top(TOP_SUBJECTS).stream()
                .map(entry -> new Subject(entry.key(), entry.count(), entry.bestScore()))
                .toList();
    }

    /** True while every distinct subject has fitted the capacity, so the top subjects are exact. */
    public boolean topSubjectsExact() {
        return subjects.exact();
    }

    /** Writes the summary as one JSON object (shape in the class comment). */
    public void write(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeNumberField("hits", hits);
        if (queriesDeclared) {
            json.writeNumberField("queries", perQuery.size());
        }
        json.writeNumberField("queriesWithHits", withHits);

        json.writeArrayFieldStart("perQuery");
        for (Map.Entry<String, PerQuery> entry : perQuery.entrySet()) {
            PerQuery row = entry.getValue();
            json.writeStartObject();
            json.writeStringField("query", entry.getKey());
            json.writeNumberField("hits", row.hits);
            if (row.hits > 0) {
                json.writeNumberField("bestEvalue", row.bestEvalue);
                json.writeNumberField("bestBitscore", row.bestBitscore);
            }
            json.writeEndObject();
        }
        json.writeEndArray();

        json.writeObjectFieldStart("identity");
        json.writeNumberField("binWidth", IDENTITY_BIN_WIDTH);
        json.writeArrayFieldStart("counts");
        for (long count : identityCounts) {
            json.writeNumber(count);
        }
        json.writeEndArray();
        json.writeEndObject();

        json.writeObjectFieldStart("evalue");
        json.writeArrayFieldStart("bins");
        for (int bin = 0; bin < evalueCounts.length; bin++) {
            json.writeStartObject();
            json.writeStringField("upTo", bin < DECADE_BOUNDS.length ? "1e" + (LOWEST_DECADE + bin) : "inf");
            json.writeNumberField("count", evalueCounts[bin]);
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();

        json.writeArrayFieldStart("topSubjects");
        for (Subject top : topSubjects()) {
            json.writeStartObject();
            json.writeStringField("subject", top.subject());
            json.writeNumberField("hits", top.hits());
            json.writeNumberField("bestBitscore", top.bestBitscore());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeBooleanField("topSubjectsExact", subjects.exact());
        json.writeEndObject();
    }

    /** Writes the summary as UTF-8 JSON to {@code out}, flushed and left open. */
    public void toJson(OutputStream out) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(out)) {
            write(json);
        }
    }

    static int identityBin(double pident) {
        return Math.clamp((long) Math.floor(pident / IDENTITY_BIN_WIDTH), 0, IDENTITY_BINS - 1);
    }

    /** The first decade whose bound is at least the e-value; past the last bound, the {@code inf} bin. */
    static int evalueBin(double evalue) {
        int found = Arrays.binarySearch(DECADE_BOUNDS, evalue);
        return found >= 0 ? found : -found - 1;
    }

    private static double[] decadeBounds() {
        double[] bounds = new double[HIGHEST_DECADE - LOWEST_DECADE + 1];
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = Double.parseDouble("1e" + (LOWEST_DECADE + i));
        }
        return bounds;
    }
}
