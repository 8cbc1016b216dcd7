package io.aegis.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.aegis.events.SearchArchive;
import io.aegis.events.StoreLayout;
import io.aegis.sequences.Fasta;
import io.aegis.sequences.FastaRecord;
import io.aegis.testing.Folders;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * The artifacts benchmark's job as a real BLAST search makes it, the way the worker does: queries of one
 * protein family against a database of the same family (ancestor of 100–140 residues), so that every
 * query hits nearly every subject and a million hits take minutes rather than hours to search; searched
 * in batches into BLAST's archive (outfmt 11, the queries named by position), tabulated from the archive
 * with {@code blast_formatter}, and merged into {@code hits.tsv} and {@code hits.json} with the
 * submitted ids. The search is made once per size and kept in the bench home; each run places it in a
 * fresh store.
 */
final class ArchivedSearch {

    static final String DATABASE = "bench-family";
    private static final long SEED = 1_000_003L;
    private static final int BATCHES = 8;
    private static final String COMPLETE = "complete";

    private ArchivedSearch() {
    }

    /**
     * The search of about {@code hits} hits over {@code queries} queries in {@code cache}, made now
     * unless an earlier run made it.
     */
    static Path made(Path cache, int hits, int queries, List<String> columns) throws Exception {
        Path dir = cache.resolve(String.format(Locale.ROOT, "search-%d-%d", hits, queries));
        if (Files.exists(dir.resolve(COMPLETE))) {
            return dir;
        }
        Folders.delete(dir);
        Files.createDirectories(dir.resolve("db"));
        Files.createDirectories(dir.resolve("archive"));
        int subjects = Math.max(1, (int) Math.ceil((double) hits / queries));
        ProteinFamilies.Dataset data = new ProteinFamilies(1, subjects, SEED, 100, 140).generate(queries);
        Files.writeString(dir.resolve("db").resolve(DATABASE + ".fasta"), Fasta.write(data.database()));
        Files.writeString(dir.resolve(StoreLayout.INPUT_FILE), Fasta.write(data.queries()));
        run(dir, "makeblastdb", "-in", dir.resolve("db").resolve(DATABASE + ".fasta").toString(), "-dbtype", "prot",
                "-out", database(dir).toString(), "-parse_seqids");

        List<List<FastaRecord>> batches = batches(data.queries());
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            List<Future<?>> searches = new ArrayList<>();
            for (int b = 0; b < batches.size(); b++) {
                int batch = b;
                searches.add(pool.submit(() -> {
                    search(dir, batch, batches.get(batch), subjects, columns);
                    return null;
                }));
            }
            for (Future<?> search : searches) {
                search.get();
            }
        } finally {
            pool.shutdownNow();
        }
        merge(dir, data.queries(), batches.size(), columns);
        Files.writeString(dir.resolve("search.properties"), "batches=" + batches.size() + "\nqueries=" + queries
                + "\nsubjects=" + subjects + "\n");
        Files.writeString(dir.resolve(COMPLETE), "");
        return dir;
    }

    /**
     * Places the search in {@code store} as a finished job {@code job} leaves it: its input, its merged
     * results, its archive with the record that says what was searched, and the database with the
     * marker of its version (the archive names the database where it was searched, in the cache).
     */
    static void place(Path search, StoreLayout store, UUID job) throws IOException {
        Files.createDirectories(store.results(job));
        Files.createDirectories(store.archive(job));
        Files.createDirectories(store.database(DATABASE));
        link(search.resolve(StoreLayout.INPUT_FILE), store.input(job));
        link(search.resolve("hits.tsv"), store.results(job).resolve("hits.tsv"));
        link(search.resolve("hits.json"), store.results(job).resolve("hits.json"));
        Properties made = new Properties();
        try (BufferedReader in = Files.newBufferedReader(search.resolve("search.properties"))) {
            made.load(in);
        }
        int batches = Integer.parseInt(made.getProperty("batches"));
        for (int b = 0; b < batches; b++) {
            link(search.resolve("archive").resolve(SearchArchive.batchFile(b)),
                    store.archive(job).resolve(SearchArchive.batchFile(b)));
        }
        try (Stream<Path> files = Files.list(search.resolve("db"))) {
            for (Path file : files.toList()) {
                link(file, store.database(DATABASE).resolve(file.getFileName()));
            }
        }
        String version = "bench-" + made.getProperty("subjects");
        Files.writeString(store.databaseMarker(DATABASE), "type=PROTEIN\nversion=" + version + "\n");
        new SearchArchive(SearchArchive.SCHEMA, "blastp", DATABASE, version, database(search).toString(), batches,
                Integer.parseInt(made.getProperty("queries")), Map.of("program", "blastp", "evalue", "10")).write(
                store.archive(job));
    }

    private static Path database(Path dir) {
        return dir.resolve("db").resolve(DATABASE).toAbsolutePath();
    }

    private static List<List<FastaRecord>> batches(List<FastaRecord> queries) {
        List<List<FastaRecord>> batches = new ArrayList<>();
        int per = (queries.size() + BATCHES - 1) / BATCHES;
        for (int start = 0; start < queries.size(); start += per) {
            List<FastaRecord> batch = new ArrayList<>();
            for (int q = start; q < Math.min(queries.size(), start + per); q++) {
                // named by position in the job, as the worker names them
                batch.add(new FastaRecord("Q" + (q + 1), "", queries.get(q).sequence()));
            }
            batches.add(batch);
        }
        return batches;
    }

    private static void search(Path dir, int batch, List<FastaRecord> queries, int subjects, List<String> columns)
            throws Exception {
        Path fasta = dir.resolve(String.format(Locale.ROOT, "batch-%04d.fa", batch));
        Files.writeString(fasta, Fasta.write(queries));
        Path archive = dir.resolve("archive").resolve(SearchArchive.batchFile(batch));
        run(dir, "blastp", "-query", fasta.toString(), "-db", database(dir).toString(), "-outfmt", "11",
                "-out", archive.toString(), "-max_target_seqs", Integer.toString(subjects), "-evalue", "10",
                "-num_threads", "1");
        run(dir, "blast_formatter", "-archive", archive.toString(), "-outfmt", "6 " + String.join(" ", columns),
                "-out", dir.resolve(String.format(Locale.ROOT, "batch-%04d.tsv", batch)).toString());
        Files.delete(fasta);
    }

    /** The batches' hits in query order with the submitted ids, as hits.tsv and hits.json; hits.json as the worker writes it. */
    private static void merge(Path dir, List<FastaRecord> queries, int batches, List<String> columns) throws IOException {
        try (BufferedWriter tsv = Files.newBufferedWriter(dir.resolve("hits.tsv"), StandardCharsets.UTF_8);
             OutputStream jsonOut = Files.newOutputStream(dir.resolve("hits.json"));
             JsonGenerator json = new JsonFactory().createGenerator(jsonOut)) {
            json.writeStartObject();
            json.writeArrayFieldStart("columns");
            for (String column : columns) {
                json.writeString(column);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("queries");
            int next = 0;
            for (int b = 0; b < batches; b++) {
                Path batch = dir.resolve(String.format(Locale.ROOT, "batch-%04d.tsv", b));
                try (BufferedReader in = Files.newBufferedReader(batch, StandardCharsets.UTF_8)) {
                    int open = -1;
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        String[] row = line.split("\t", -1);
                        int query = Integer.parseInt(row[0].substring(1)) - 1;
                        if (query != open) {
                            if (open >= 0) {
                                endQuery(json);
                            }
                            for (; next < query; next++) {
                                startQuery(json, queries.get(next));
                                endQuery(json);
                            }
                            startQuery(json, queries.get(query));
                            open = query;
                            next = query + 1;
                        }
                        row[0] = queries.get(query).id();
                        tsv.write(String.join("\t", row));
                        tsv.write('\n');
                        json.writeStartObject();
                        for (int c = 0; c < columns.size(); c++) {
                            json.writeFieldName(columns.get(c));
                            switch (columns.get(c)) {
                                case "qseqid", "sseqid", "qseq", "sseq" -> json.writeString(row[c]);
                                default -> json.writeNumber(row[c]);
                            }
                        }
                        json.writeEndObject();
                    }
                    if (open >= 0) {
                        endQuery(json);
                    }
                }
                Files.delete(batch);
            }
            for (; next < queries.size(); next++) {
                startQuery(json, queries.get(next));
                endQuery(json);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    private static void startQuery(JsonGenerator json, FastaRecord query) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", query.id());
        json.writeStringField("description", query.description());
        json.writeNumberField("length", query.length());
        json.writeArrayFieldStart("hits");
    }

    private static void endQuery(JsonGenerator json) throws IOException {
        json.writeEndArray();
        json.writeEndObject();
    }

    /** Links {@code from} at {@code to}, or copies it where the two are on different file systems. */
    private static void link(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(from, to);
        }
    }

    private static void run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("tools.log").toFile())).start();
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed; see " + dir.resolve("tools.log"));
        }
    }
}
