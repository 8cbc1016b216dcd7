package io.aegis.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * What a job's search was, kept beside BLAST's archive of it ({@code jobs/<id>/archive/}, see
 * {@link StoreLayout#archive}): the worker writes it once every batch is archived, and the artifact
 * service reads it to format the archive again ({@code blast_formatter}) and to fetch hit sequences
 * ({@code blastdbcmd}) from the same database at the same version.
 *
 * <p>Batch {@code i} is archived as {@link #batchFile(int) batch-NNNN.asn}; the queries in the archive
 * are named by their position in the job ({@code Q1}, {@code Q2}, …, without description), the
 * {@code n}-th being the {@code n}-th record of the job's input.
 *
 * <p>A search too small to be worth archiving wrote its hits directly and archived no batch
 * ({@code batches} 0, see {@link #searchedAgain()}): its archive is made, as one batch, by running the
 * pipeline's archiving search again on the job's input when it is first needed, and the record is then
 * written again with its one batch.
 *
 * @param schema          the layout of this record, {@value #SCHEMA}
 * @param program         the BLAST program, such as {@code blastp}
 * @param database        the database's name
 * @param databaseVersion the database's version when it was searched
 * @param databasePath    the database as the search named it ({@code -db}), as the archive records it
 * @param batches         how many batch archives there are
 * @param queries         how many queries the job has
 * @param params          the search's parameters as resolved, each as text
 * @param pipeline        the pipeline whose search this was, whose archiving command makes the archive again;
 *                        null in a record written before searches could skip their archive
 */
public record SearchArchive(int schema, String program, String database, String databaseVersion, String databasePath,
                            int batches, int queries, Map<String, String> params, String pipeline) {

    public static final int SCHEMA = 1;
    public static final String FILE = "search.json";

    public SearchArchive {
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    /** A record of a search that was archived as it ran, naming no pipeline. */
    public SearchArchive(int schema, String program, String database, String databaseVersion, String databasePath,
                         int batches, int queries, Map<String, String> params) {
        this(schema, program, database, databaseVersion, databasePath, batches, queries, params, null);
    }

    /** Whether the search kept no archive as it ran, so it is made by searching again. */
    public boolean searchedAgain() {
        return batches == 0;
    }

    /** The record once the archive was made again, as {@code batches} batches. */
    public SearchArchive archivedAs(int batches) {
        return new SearchArchive(schema, program, database, databaseVersion, databasePath, batches, queries, params, pipeline);
    }

    /** The archive of batch {@code index} (0-based) in the job's archive folder. */
    public static String batchFile(int index) {
        return String.format("batch-%04d.asn", index);
    }

    /** The record in {@code folder}, or an {@link IOException} saying why there is none to read. */
    public static SearchArchive read(Path folder) throws IOException {
        SearchArchive search;
        try {
            search = EventJson.decode(Files.readAllBytes(folder.resolve(FILE)), SearchArchive.class);
        } catch (UncheckedIOException e) {
            throw new IOException("The search record " + folder.resolve(FILE) + " cannot be read: " + e.getMessage(), e);
        }
        if (search.schema() != SCHEMA) {
            throw new IOException("The search record " + folder.resolve(FILE) + " has schema " + search.schema()
                    + ", not " + SCHEMA + ".");
        }
        return search;
    }

    /** Writes the record into {@code folder}, whole or not at all. */
    public void write(Path folder) throws IOException {
        Path part = folder.resolve(FILE + ".part");
        Files.write(part, EventJson.encode(this));
        Files.move(part, folder.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
