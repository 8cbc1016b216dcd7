package io.aegis.artifact.service;

import io.aegis.events.SearchArchive;
import io.aegis.events.StoreLayout;
import io.aegis.sequences.Fasta;
import io.aegis.sequences.FastaRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Real BLAST searches archived the way the worker archives them, for the tests of BLAST's own formats:
 * databases built with {@code makeblastdb -parse_seqids -title <name>} under the store's
 * {@code databases/<name>/} with their marker, a job's input split into batches whose queries are renamed
 * {@code Q1}, {@code Q2}, … (position in the job, no description), each batch searched with
 * {@code -outfmt 11} into {@code jobs/<id>/archive/batch-NNNN.asn}, and the {@link SearchArchive} record
 * beside them. The same search run once on the whole input ({@link #direct}) is what the merged formats
 * are held against.
 */
final class ArchivedSearches {

    /** The search's parameters, for the batches and the direct run alike. */
    static final List<String> PARAMETERS = List.of("-evalue", "1e-5", "-max_target_seqs", "5");
    static final String VERSION = "20300101T000000Z-1";

    /** A database in the store: its name, the program that searches it and the prefix given to {@code -db}. */
    record Database(String name, String program, Path prefix) {
    }

    private ArchivedSearches() {
    }

    /** The {@code demo} protein database from examples/databases. */
    static Database protein(StoreLayout store) throws IOException {
        return protein(store, "demo");
    }

    /** The {@code demo} protein database under another name (a test that replaces it has its own). */
    static Database protein(StoreLayout store, String name) throws IOException {
        return database(store, name, "prot", "blastp", Files.readString(examples().resolve("databases/demo.fasta")));
    }

    /**
     * A nucleotide database generated here, the same every time (a fixed seed): 40 random contigs of 900
     * bases, each titled.
     */
    static Database nucleotide(StoreLayout store) throws IOException {
        return database(store, "contigs", "nucl", "blastn", Fasta.write(contigs()));
    }

    /**
     * Protein queries: eight of the examples, two that hit nothing (one in the middle of the input, one
     * at its end), one with a description BLAST wraps in its pairwise text and with characters XML and
     * JSON escape, and one without description.
     */
    static List<FastaRecord> proteinQueries() throws IOException {
        List<FastaRecord> examples = Fasta.parse(Files.readString(examples().resolve("queries.fasta")));
        List<FastaRecord> queries = new ArrayList<>(examples.subList(0, 8));
        queries.add(3, new FastaRecord("nohit-1", "low complexity, hits nothing", "WCWCWCWCHHHHWCWCWCWCMMMMWCWCWCWC"));
        FastaRecord wordy = examples.get(8);
        queries.add(5, new FastaRecord("sp|P0DTC2|WORDY_1", "a description long enough to be wrapped by BLAST's pairwise "
                + "report & with <angle brackets>, \"quotes\" and 'apostrophes' in it", wordy.sequence()));
        queries.add(new FastaRecord(examples.get(9).id(), "", examples.get(9).sequence()));
        queries.add(new FastaRecord("nohit-2", "", "WCWCWCWCHHHHWCWCWCWCMMMMWCWCWCWCWWWW"));
        return queries;
    }

    /**
     * Nucleotide queries: fragments of some contigs with a few changes (two on the minus strand), and
     * two random sequences that hit nothing.
     */
    static List<FastaRecord> nucleotideQueries() {
        List<FastaRecord> contigs = contigs();
        Random random = new Random(7);
        List<FastaRecord> queries = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String fragment = mutate(contigs.get(i * 4).sequence().substring(100, 400), random);
            if (i % 4 == 1) {
                fragment = reverseComplement(fragment);
            }
            queries.add(new FastaRecord("read" + (i + 1), "fragment of contig " + (i * 4 + 1) + (i == 2 ? " & <more>" : ""),
                    fragment));
            if (i == 4) {
                queries.add(new FastaRecord("noise-1", "random bases", bases(random, 250)));
            }
        }
        queries.add(new FastaRecord("noise-2", "", bases(random, 180)));
        return queries;
    }

    /**
     * Many nucleotide queries, whole contigs with a few changes: more than BLAST searches together in one
     * of its chunks, so that a batch's output closes and opens again inside.
     */
    static List<FastaRecord> manyNucleotideQueries(int count) {
        List<FastaRecord> contigs = contigs();
        Random random = new Random(11);
        List<FastaRecord> queries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            queries.add(new FastaRecord("long" + (i + 1), "copy of contig " + (i % contigs.size() + 1),
                    mutate(contigs.get(i % contigs.size()).sequence(), random)));
        }
        return queries;
    }

    /**
     * Archives a search of {@code queries} in {@code job}'s folder as the worker does, {@code batchSize}
     * queries a batch, and writes the job's input.
     */
    static SearchArchive archive(StoreLayout store, UUID job, Database database, List<FastaRecord> queries, int batchSize)
            throws IOException, InterruptedException {
        Files.createDirectories(store.jobDir(job));
        Files.writeString(store.input(job), Fasta.write(queries));
        Path folder = Files.createDirectories(store.archive(job));
        int batches = 0;
        for (int start = 0; start < queries.size(); start += batchSize) {
            StringBuilder batch = new StringBuilder();
            for (int i = start; i < Math.min(queries.size(), start + batchSize); i++) {
                batch.append(new FastaRecord("Q" + (i + 1), "", queries.get(i).sequence()).toFasta(60));
            }
            Path input = folder.resolve("batch-" + batches + ".fasta");
            Files.writeString(input, batch);
            List<String> command = new ArrayList<>(List.of(database.program(), "-query", input.toString(), "-db",
                    database.prefix().toString(), "-outfmt", "11", "-out",
                    folder.resolve(SearchArchive.batchFile(batches)).toString()));
            command.addAll(PARAMETERS);
            run(command);
            Files.delete(input);
            batches++;
        }
        SearchArchive search = new SearchArchive(SearchArchive.SCHEMA, database.program(), database.name(), VERSION,
                database.prefix().toString(), batches, queries.size(), Map.of("evalue", "1e-5", "max_target_seqs", "5"));
        search.write(folder);
        return search;
    }

    /**
     * A search of {@code queries} in {@code job}'s folder as the worker records one too small to archive:
     * the job's input, and the record naming the pipeline, its parameters and no batch.
     */
    static SearchArchive unarchived(StoreLayout store, UUID job, Database database, List<FastaRecord> queries)
            throws IOException {
        Files.createDirectories(store.jobDir(job));
        Files.writeString(store.input(job), Fasta.write(queries));
        SearchArchive search = new SearchArchive(SearchArchive.SCHEMA, database.program(), database.name(), VERSION,
                database.prefix().toString(), 0, queries.size(), Map.of("program", database.program(), "evalue", "1e-5",
                "max_target_seqs", "5"), "blast");
        search.write(Files.createDirectories(store.archive(job)));
        return search;
    }

    /** One run of the database's program on the job's whole input, in {@code outfmt}. */
    static String direct(StoreLayout store, UUID job, Database database, String outfmt) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(database.program(), "-query", store.input(job).toString(), "-db",
                database.prefix().toString(), "-outfmt", outfmt));
        command.addAll(PARAMETERS);
        return run(command);
    }

    /** Sets the database's marker to {@code version}, as a rebuild of the database would. */
    static void markVersion(StoreLayout store, String name, String version) throws IOException {
        Files.writeString(store.databaseMarker(name), "name=" + name + "\nversion=" + version + "\n");
    }

    /** Runs a command; its standard output, or a failure with its standard error. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("blast-", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            byte[] out = process.getInputStream().readAllBytes();
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IOException(String.join(" ", command) + " failed (" + exit + "): " + Files.readString(errors));
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    private static Database database(StoreLayout store, String name, String type, String program, String fasta)
            throws IOException {
        Path folder = Files.createDirectories(store.database(name));
        Path prefix = folder.resolve(name);
        if (!Files.isRegularFile(store.databaseMarker(name))) {
            Path source = folder.resolve(name + ".fasta");
            Files.writeString(source, fasta);
            try {
                run(List.of("makeblastdb", "-in", source.toString(), "-dbtype", type, "-out", prefix.toString(),
                        "-parse_seqids", "-title", name));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            Files.delete(source);
        }
        markVersion(store, name, VERSION);
        return new Database(name, program, prefix);
    }

    private static List<FastaRecord> contigs() {
        Random random = new Random(42);
        List<FastaRecord> contigs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            contigs.add(new FastaRecord(String.format("CTG%03d", i + 1), "synthetic contig " + (i + 1), bases(random, 900)));
        }
        return contigs;
    }

    private static String bases(Random random, int length) {
        StringBuilder bases = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            bases.append("ACGT".charAt(random.nextInt(4)));
        }
        return bases.toString();
    }

    private static String mutate(String sequence, Random random) {
        StringBuilder changed = new StringBuilder(sequence);
        for (int i = 0; i < changed.length(); i++) {
            if (random.nextInt(25) == 0) {
                changed.setCharAt(i, "ACGT".charAt(random.nextInt(4)));
            }
        }
        return changed.toString();
    }

    private static String reverseComplement(String sequence) {
        StringBuilder reverse = new StringBuilder(sequence.length());
        for (int i = sequence.length() - 1; i >= 0; i--) {
            reverse.append(switch (sequence.charAt(i)) {
                case 'A' -> 'T';
                case 'C' -> 'G';
                case 'G' -> 'C';
                default -> 'A';
            });
        }
        return reverse.toString();
    }

    private static Path examples() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("examples/databases"))) {
                return dir.resolve("examples");
            }
        }
        throw new IllegalStateException("No examples/databases above " + here);
    }
}
