package io.aegis.artifact.service;

import io.aegis.artifact.blast.BlastFormat;
import io.aegis.artifact.blast.Lines;
import io.aegis.artifact.config.ArtifactsConfig;
import io.aegis.events.SearchArchive;
import io.aegis.pipelines.InvalidParameter;
import io.aegis.pipelines.ParameterRules;
import io.aegis.pipelines.PipelineDefinition;
import io.aegis.pipelines.Pipelines;
import io.aegis.pipelines.SearchCommands;
import io.aegis.sequences.Fasta;
import io.aegis.sequences.FastaException;
import io.aegis.sequences.FastaRecord;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs {@code blast_formatter -archive <batch> -outfmt <format>} on one batch's archive and hands its
 * standard output, as it comes, to a consumer (a merger): the output is never held. The process is
 * bounded by {@code formatter-timeout} and killed when the consumer fails; its standard error goes to a
 * temporary file whose last lines explain a failure. It runs in the archive's folder with the batch's
 * file name alone, so no server path shows in what it writes (SAM's {@code @PG} line quotes the command).
 * The database is the one the archive names, by the path the search gave it: the store is mounted at
 * the same path in every pod.
 *
 * <p>A search too small to be worth archiving kept no archive as it ran ({@link SearchArchive#searchedAgain()}):
 * {@link #searchAgain} makes it, by running the pipeline's archiving search once more on the job's input,
 * as one batch, bounded by the same timeout. Blocking.
 */
@ApplicationScoped
@Startup
public class BlastFormatter {

    /** How much of standard error a failure quotes. */
    static final int ERROR_TAIL = 2000;

    @FunctionalInterface
    interface Output<T> {
        T read(Lines lines) throws IOException;
    }

    private final String program;
    private final Duration timeout;
    private final List<String> tabularColumns;
    private final Pipelines pipelines = Pipelines.load(Optional.empty());

    @Inject
    public BlastFormatter(ArtifactsConfig config) {
        this(config.blastFormatter(), config.formatterTimeout(),
                config.tabularColumns().map(BlastFormat::tabularColumns).orElse(BlastFormat.TABULAR_COLUMNS));
    }

    BlastFormatter(String program, Duration timeout) {
        this(program, timeout, BlastFormat.TABULAR_COLUMNS);
    }

    BlastFormatter(String program, Duration timeout, List<String> tabularColumns) {
        this.program = program;
        this.timeout = timeout;
        this.tabularColumns = tabularColumns;
    }

    /** The {@code -outfmt} this formatter writes {@code format} with (commented tabular with its columns). */
    String outfmt(BlastFormat format) {
        return format.outfmt(tabularColumns);
    }

    <T> T run(Path archive, String batch, String outfmt, Output<T> output) throws IOException {
        return run(archive, List.of(program, "-archive", batch, "-outfmt", outfmt), "-outfmt " + outfmt + " on " + batch,
                output);
    }

    /**
     * Makes the archive of a search that kept none ({@code search} says no batch was archived), in
     * {@code folder}, as one batch: the queries of the job's {@code input} named by their position, as the
     * worker names them ({@link SearchCommands#renamed}), searched with the archiving command of the search's pipeline and its parameters.
     * The archive is written aside and renamed, then the record again: two formats asked at once each
     * search, and the last one's identical archive stays.
     *
     * @return the record of the archive now made
     */
    SearchArchive searchAgain(Path folder, Path input, SearchArchive search) throws IOException {
        PipelineDefinition pipeline = Optional.ofNullable(search.pipeline()).flatMap(pipelines::find).orElseThrow(() -> new IOException(
                "The search kept no archive, and its pipeline " + search.pipeline() + " is not known here to search again"));
        ParameterRules.Resolved params;
        try {
            params = ParameterRules.resolve(pipeline, search.params());
        } catch (InvalidParameter e) {
            throw new IOException("The search's recorded parameters no longer apply: " + e.getMessage(), e);
        }
        Path queries = Files.createTempFile(folder, "queries-", ".fa.part");
        Path archive = Files.createTempFile(folder, SearchArchive.batchFile(0) + "-", ".part");
        try {
            int count = renamed(input, queries);
            if (count != search.queries()) {
                throw new IOException("The job's input has " + count + " queries but its search had " + search.queries());
            }
            List<String> command = SearchCommands.archiving(pipeline, params, new SearchCommands.Files(
                    queries.getFileName().toString(), search.databasePath(), "-", archive.getFileName().toString()));
            run(folder, command, "searching again to make the archive", BlastFormatter::drain);
            if (Files.size(archive) == 0) {
                throw new IOException(command.getFirst() + " ended without writing the archive");
            }
            Files.move(archive, folder.resolve(SearchArchive.batchFile(0)), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            SearchArchive archived = search.archivedAs(1);
            archived.write(folder);
            return archived;
        } finally {
            Files.deleteIfExists(queries);
            Files.deleteIfExists(archive);
        }
    }

    /**
     * Writes the queries of {@code input} to {@code out} named {@code Q1}, {@code Q2}, … without description;
     * how many. The input is held whole, as the worker held it: a search this small has a small input.
     */
    private static int renamed(Path input, Path out) throws IOException {
        List<FastaRecord> queries;
        try {
            queries = Fasta.parse(Files.readString(input));
        } catch (FastaException e) {
            throw new IOException("The job's input cannot be read as FASTA: " + e.getMessage(), e);
        }
        Files.writeString(out, Fasta.write(SearchCommands.renamed(queries)));
        return queries.size();
    }

    /** Reads what a tool writes to its standard output and drops it. */
    private static Void drain(Lines lines) throws IOException {
        while (lines.next() != null) {
            // the search writes its archive to a file
        }
        return null;
    }

    private <T> T run(Path directory, List<String> command, String what, Output<T> output) throws IOException {
        Path errors = Files.createTempFile("blast_formatter-", ".err");
        Process process = null;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectError(errors.toFile()).start();
            Process started = process;
            AtomicBoolean timedOut = new AtomicBoolean();
            Thread watch = Thread.ofVirtual().start(() -> {
                try {
                    if (!started.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                        timedOut.set(true);
                        started.destroyForcibly();
                    }
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                }
            });
            T result;
            try (InputStreamReader out = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
                result = output.read(new Lines(out));
            } catch (IOException | RuntimeException e) {
                // output cut short by the formatter's own failure is that failure; otherwise the merge's
                // (a formatter that failed has closed its output and is ending; one still writing is not)
                boolean ended = process.waitFor(1, TimeUnit.SECONDS);
                process.destroyForcibly();
                int exit = process.waitFor();
                if (timedOut.get()) {
                    throw timedOut(command, what);
                }
                if (ended && exit != 0) {
                    throw failed(command, what, exit, errors);
                }
                throw e;
            }
            int exit = process.waitFor();
            watch.interrupt();
            if (timedOut.get()) {
                throw timedOut(command, what);
            }
            if (exit != 0) {
                throw failed(command, what, exit, errors);
            }
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while " + command.getFirst() + " " + what, e);
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(errors);
        }
    }

    private IOException timedOut(List<String> command, String what) {
        return new IOException(command.getFirst() + " " + what + " took longer than " + timeout + " and was stopped");
    }

    private IOException failed(List<String> command, String what, int exit, Path errors) throws IOException {
        return new IOException(command.getFirst() + " " + what + " failed (exit " + exit + "): " + tail(errors));
    }

    /** The end of standard error, at most {@link #ERROR_TAIL} characters. */
    static String tail(Path errors) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(errors.toFile(), "r")) {
            long length = file.length();
            long from = Math.max(0, length - ERROR_TAIL);
            byte[] bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "(nothing on standard error)" : (from > 0 ? "…" : "") + text;
        }
    }
}
