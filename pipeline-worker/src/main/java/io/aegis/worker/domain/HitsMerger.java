package io.aegis.worker.domain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.aegis.pipelines.HitValues;
import io.aegis.pipelines.PipelineDefinition;
import io.aegis.pipelines.SearchCommands;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.List;

/**
 * Merges the tabular hits of every batch into one table and one JSON document, in query order,
 * streaming: one line in memory at a time, whatever the number of hits.
 *
 * <p>Batches name their queries by position ({@code Q1}, {@code Q2}, … across the whole job, see
 * {@link #batchId(int)}), so every hit finds its query even when a tool rewrites ids it does not
 * like; the merged output carries the submitted ids again. The JSON lists every query, those
 * without hits too, after the columns and the type each column's values have ({@link HitValues#type}):
 * <pre>{"columns": [...], "types": [...], "queries": [{"id": "q1", "description": "…", "length": 120, "hits": [{"sseqid": …}, …]}, …]}</pre>
 * The types come before the hits so that a reader of the hits (the artifact service, which types
 * its hit pages by them) finds them at the start, however long the document.
 */
public final class HitsMerger {

    /** A query as submitted. */
    public record Query(String id, String description, int length) {
    }

    /** What the merge wrote. */
    public record Merged(long hits, int queriesWithHits) {
    }

    private static final JsonFactory JSON = new JsonFactory();

    /** The id a query carries inside the batches: its 1-based position in the job. */
    public static String batchId(int index) {
        return SearchCommands.queryId(index);
    }

    /**
     * @param batches the batches' tabular output, in batch order (each in query order, as BLAST writes it)
     * @param queries every query of the job, in order
     * @throws IllegalArgumentException when a line belongs to no query or comes out of order
     */
    public static Merged merge(List<BufferedReader> batches, List<Query> queries, List<PipelineDefinition.Column> columns,
                               Writer tsv, OutputStream json) throws IOException {
        long hits = 0;
        int withHits = 0;
        try (JsonGenerator out = JSON.createGenerator(json)) {
            out.writeStartObject();
            out.writeArrayFieldStart("columns");
            for (PipelineDefinition.Column column : columns) {
                out.writeString(column.name());
            }
            out.writeEndArray();
            out.writeArrayFieldStart("types");
            for (PipelineDefinition.Column column : columns) {
                out.writeString(HitValues.type(column));
            }
            out.writeEndArray();
            out.writeArrayFieldStart("queries");
            int next = 0;   // the first query not yet written
            int open = -1;  // the query whose hits array is open
            for (BufferedReader batch : batches) {
                String line;
                while ((line = batch.readLine()) != null) {
                    if (line.isEmpty() || line.startsWith("#")) {
                        continue;
                    }
                    String[] fields = line.split("\t", -1);
                    int index = queryIndex(fields[0], queries.size());
                    if (index != open) {
                        if (index < next) {
                            throw new IllegalArgumentException("Hits of " + fields[0] + " come after later queries");
                        }
                        if (open >= 0) {
                            endQuery(out);
                        }
                        while (next < index) {
                            startQuery(out, queries.get(next++));
                            endQuery(out);
                        }
                        startQuery(out, queries.get(next++));
                        open = index;
                        withHits++;
                    }
                    fields[0] = queries.get(index).id();
                    tsv.write(String.join("\t", fields));
                    tsv.write('\n');
                    writeHit(out, fields, columns);
                    hits++;
                }
            }
            if (open >= 0) {
                endQuery(out);
            }
            while (next < queries.size()) {
                startQuery(out, queries.get(next++));
                endQuery(out);
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        tsv.flush();
        return new Merged(hits, withHits);
    }

    private static int queryIndex(String batchId, int queries) {
        if (batchId.length() > 1 && batchId.charAt(0) == 'Q') {
            try {
                int index = Integer.parseInt(batchId, 1, batchId.length(), 10) - 1;
                if (index >= 0 && index < queries) {
                    return index;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("A hit names query '" + batchId + "', which is not in the job");
    }

    private static void startQuery(JsonGenerator out, Query query) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", query.id());
        if (!query.description().isEmpty()) {
            out.writeStringField("description", query.description());
        }
        out.writeNumberField("length", query.length());
        out.writeArrayFieldStart("hits");
    }

    private static void endQuery(JsonGenerator out) throws IOException {
        out.writeEndArray();
        out.writeEndObject();
    }

    /** One hit as an object of its columns but the query's, typed as the pipeline declares them ({@link HitValues}). */
    private static void writeHit(JsonGenerator out, String[] fields, List<PipelineDefinition.Column> columns)
            throws IOException {
        out.writeStartObject();
        for (int i = 1; i < columns.size() && i < fields.length; i++) {
            String name = columns.get(i).name();
            switch (HitValues.typed(columns.get(i), fields[i])) {
                case Long whole -> out.writeNumberField(name, whole);
                case Double decimal -> out.writeNumberField(name, decimal);
                case Object text -> out.writeStringField(name, text.toString());
            }
        }
        out.writeEndObject();
    }

    private HitsMerger() {
    }
}
