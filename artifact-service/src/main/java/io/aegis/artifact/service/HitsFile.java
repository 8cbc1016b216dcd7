package io.aegis.artifact.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A job's merged hits: {@code results/hits.tsv}, one hit per line grouped by query, and the column
 * names, which only {@code results/hits.json} states (its document starts {@code {"columns": [...]}},
 * read with a streaming parser so the rest of the document is never loaded). Blocking I/O.
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

    /** The column names at the start of hits.json. */
    static List<String> columns(Path hitsJson) throws IOException {
        try (JsonParser parser = JSON_FACTORY.createParser(Files.newInputStream(hitsJson))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(JSON + " is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!"columns".equals(field)) {
                    parser.skipChildren();
                    continue;
                }
                if (value != JsonToken.START_ARRAY) {
                    throw new IOException(JSON + "'s columns are not an array");
                }
                List<String> columns = new ArrayList<>();
                while (parser.nextToken() == JsonToken.VALUE_STRING) {
                    columns.add(parser.getText());
                }
                if (parser.currentToken() != JsonToken.END_ARRAY || columns.isEmpty()) {
                    throw new IOException(JSON + "'s columns are not a list of names");
                }
                return List.copyOf(columns);
            }
            throw new IOException(JSON + " names no columns");
        } catch (NoSuchFileException e) {
            throw new IOException("results/" + JSON + " is missing; it names the hit columns", e);
        }
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
