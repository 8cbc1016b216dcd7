package io.aegis.artifact.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.aegis.pipelines.PipelineDefinition.Column;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A job's merged hits: {@code results/hits.tsv}, one hit per line grouped by query, and the columns,
 * which only {@code results/hits.json} states (its document starts {@code {"columns": [...],
 * "types": [...]}}, read with a streaming parser so the hits after them are never loaded). Blocking I/O.
 */
final class HitsFile {

    static final String TSV = "hits.tsv";
    static final String JSON = "hits.json";

    private static final JsonFactory JSON_FACTORY = new JsonFactory();

    @FunctionalInterface
    interface LineHandler {
        /** One line of hits.tsv: its 0-based number, the line as written and its fields. */
        void line(long ord, String line, String[] fields) throws IOException;
    }

    private HitsFile() {
    }

    /**
     * The hit columns named at the start of hits.json, each with the type the worker recorded for it
     * ({@code "types"}, in the same order, before the hits); every type is null when the file records
     * none (results merged before the types were). Reading stops at the hits once the columns are known.
     */
    static List<Column> columns(Path hitsJson) throws IOException {
        try (JsonParser parser = JSON_FACTORY.createParser(Files.newInputStream(hitsJson))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(JSON + " is not a JSON object");
            }
            List<String> names = null;
            List<String> types = null;
            while ((names == null || types == null) && parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("columns".equals(field)) {
                    names = strings(parser, value, "columns", "names");
                } else if ("types".equals(field)) {
                    types = strings(parser, value, "types", "types");
                } else if ("queries".equals(field) && names != null) {
                    break;
                } else {
                    parser.skipChildren();
                }
            }
            if (names == null) {
                throw new IOException(JSON + " names no columns");
            }
            if (types != null && types.size() != names.size()) {
                throw new IOException(JSON + " has " + types.size() + " types for " + names.size() + " columns");
            }
            List<Column> columns = new ArrayList<>(names.size());
            for (int i = 0; i < names.size(); i++) {
                columns.add(new Column(names.get(i), types == null ? null : types.get(i)));
            }
            return List.copyOf(columns);
        } catch (NoSuchFileException e) {
            throw new IOException("results/" + JSON + " is missing; it names the hit columns", e);
        }
    }

    /** A non-empty array of strings, the parser on its start. */
    private static List<String> strings(JsonParser parser, JsonToken value, String field, String what)
            throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw new IOException(JSON + "'s " + field + " are not an array");
        }
        List<String> strings = new ArrayList<>();
        while (parser.nextToken() == JsonToken.VALUE_STRING) {
            strings.add(parser.getText());
        }
        if (parser.currentToken() != JsonToken.END_ARRAY || strings.isEmpty()) {
            throw new IOException(JSON + "'s " + field + " are not a list of " + what);
        }
        return strings;
    }

    /** Streams hits.tsv line by line (blank lines and {@code #} comments skipped, still counted); never holds more than one line. */
    static long forEachLine(Path hitsTsv, LineHandler handler) throws IOException {
        long hits = 0;
        try (BufferedReader reader = Files.newBufferedReader(hitsTsv, StandardCharsets.UTF_8)) {
            long ord = 0;
            for (String line; (line = reader.readLine()) != null; ord++) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                handler.line(ord, line, split(line));
                hits++;
            }
        } catch (NoSuchFileException e) {
            throw new IOException("results/" + TSV + " is missing", e);
        }
        return hits;
    }

    static String[] split(String line) {
        return line.split("\t", -1);
    }
}
