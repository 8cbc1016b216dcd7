package io.aegis.worker.service;

import io.aegis.events.JobRequestedEvent;
import io.aegis.events.LogStream;
import io.aegis.events.Steps;
import io.aegis.events.StoreLayout;
import io.aegis.sequences.Fasta;
import io.aegis.sequences.FastaException;
import io.aegis.sequences.FastaRecord;
import io.aegis.worker.domain.Batches;
import io.aegis.worker.domain.BlastParams;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The BLAST pipeline, step by step: validate → split → search → merge → finalize. Batches are
 * searched in parallel, each by one {@code blastp}/{@code blastn} run; the merged result is
 * {@code results/hits.tsv}, in query order.
 */
final class BlastPipeline {

    static final String PIPELINE = "blast";
    static final String OUTFMT = "6 qseqid sseqid pident length mismatch gapopen qstart qend sstart send evalue bitscore";

    private final JobRequestedEvent job;
    private final JobRun run;
    private final JobReporter report;
    private final DatabaseRegistry databases;
    private final ToolExecutor tools;
    private final StoreLayout store;
    private final Path scratch;
    private final long maxBatchResidues;
    private final int concurrency;

    BlastPipeline(JobRequestedEvent job, JobRun run, JobReporter report, DatabaseRegistry databases,
                  ToolExecutor tools, StoreLayout store, Path scratch, long maxBatchResidues, int concurrency) {
        this.job = job;
        this.run = run;
        this.report = report;
        this.databases = databases;
        this.tools = tools;
        this.store = store;
        this.scratch = scratch;
        this.maxBatchResidues = maxBatchResidues;
        this.concurrency = concurrency;
    }

    void execute() throws IOException, InterruptedException {
        run.checkNotInterrupted();

        report.stepStarted(Steps.VALIDATE, "Checking the parameters, the database and the input");
        BlastParams params = params();
        BlastDatabase database = database(params);
        List<FastaRecord> queries = queries();
        report.total(queries.size());
        report.stepCompleted(Steps.VALIDATE, queries.size() + " queries, " + params.program().command() + " against "
                + database.name() + " (" + database.sequences() + " sequences)");
        run.checkNotInterrupted();

        report.stepStarted(Steps.SPLIT, "Splitting " + queries.size() + " queries into batches");
        long residues = queries.stream().mapToLong(FastaRecord::length).sum();
        long perBatch = Batches.residuesPerBatch(residues, concurrency, maxBatchResidues);
        List<List<FastaRecord>> batches = Batches.split(queries, perBatch);
        Files.createDirectories(scratch);
        for (int i = 0; i < batches.size(); i++) {
            Files.writeString(batchFile(i, "fa"), Fasta.write(batches.get(i)));
        }
        report.stepCompleted(Steps.SPLIT, batches.size() + " batches of up to " + perBatch + " residues");
        run.checkNotInterrupted();

        report.stepStarted(Steps.SEARCH, "Searching " + queries.size() + " queries in " + batches.size()
                + " batches with " + params.program().command());
        search(params, database, batches);
        report.stepCompleted(Steps.SEARCH, queries.size() + " queries searched");
        run.checkNotInterrupted();

        report.stepStarted(Steps.MERGE, "Merging " + batches.size() + " batch results");
        Path results = Files.createDirectories(store.results(job.jobId()));
        Path merged = results.resolve("hits.tsv.part");
        try (OutputStream out = Files.newOutputStream(merged)) {
            for (int i = 0; i < batches.size(); i++) {
                Files.copy(batchFile(i, "tsv"), out);
            }
        }
        Files.move(merged, results.resolve("hits.tsv"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        report.stepCompleted(Steps.MERGE, "hits.tsv written");

        report.stepStarted(Steps.FINALIZE, "Removing scratch space");
        FileTrees.delete(scratch);
    }

    private BlastParams params() {
        if (!PIPELINE.equals(job.pipeline())) {
            throw new StepFailure("UNKNOWN_PIPELINE", "Unknown pipeline '" + job.pipeline() + "'; available: "
                    + PIPELINE + ".");
        }
        try {
            return BlastParams.of(job.params());
        } catch (BlastParams.InvalidParameter e) {
            throw new StepFailure("INVALID_PARAMETER", e.getMessage());
        }
    }

    private BlastDatabase database(BlastParams params) {
        BlastDatabase database;
        try {
            database = databases.find(job.database()).orElseThrow(() -> new StepFailure("DATABASE_NOT_FOUND",
                    "There is no database '" + job.database() + "'."));
        } catch (DatabaseRegistry.BuildFailure e) {
            throw new StepFailure("DATABASE_UNAVAILABLE", e.getMessage());
        }
        params.program().mismatch(database.name(), database.type()).ifPresent(reason -> {
            throw new StepFailure("DATABASE_TYPE_MISMATCH", reason);
        });
        return database;
    }

    private List<FastaRecord> queries() throws IOException {
        try {
            return Fasta.parse(Files.readString(store.resolve(job.inputRef())));
        } catch (NoSuchFileException | IllegalArgumentException e) {
            throw new StepFailure("INPUT_NOT_FOUND", "The job's input " + job.inputRef() + " is not in the store.");
        } catch (FastaException e) {
            throw new StepFailure(e.code(), "The job's input is not valid FASTA: " + e.getMessage());
        }
    }

    /** Every batch at once up to the concurrency bound; the first failure stops the others. */
    private void search(BlastParams params, BlastDatabase database, List<List<FastaRecord>> batches)
            throws InterruptedException, IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, batches.size()),
                Thread.ofPlatform().name("batch-" + job.jobId() + "-", 1).factory());
        try {
            CompletionService<Void> searches = new ExecutorCompletionService<>(pool);
            for (int i = 0; i < batches.size(); i++) {
                int index = i;
                searches.submit(() -> {
                    searchBatch(params, database, index, batches.size(), batches.get(index));
                    return null;
                });
            }
            for (int i = 0; i < batches.size(); i++) {
                try {
                    searches.take().get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException failure) {
                        throw failure;
                    }
                    throw new IOException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void searchBatch(BlastParams params, BlastDatabase database, int index, int count,
                             List<FastaRecord> batch) {
        run.checkNotInterrupted();
        String program = params.program().command();
        report.log("worker", LogStream.STDOUT, "batch " + (index + 1) + "/" + count + ": " + batch.size()
                + (batch.size() == 1 ? " sequence, " : " sequences, ") + program);
        List<String> command = new ArrayList<>(List.of(program,
                "-query", batchFile(index, "fa").toString(),
                "-db", database.path().toString(),
                "-outfmt", OUTFMT,
                "-out", batchFile(index, "tsv").toString(),
                "-num_threads", "1"));
        command.addAll(params.flags());
        ToolExecutor.Result result = tools.run(new ToolExecutor.Task(job.jobId(), job.attempt(), Steps.SEARCH, index,
                command, scratch, java.time.Duration.ofHours(24)), line -> report.log(program, line.stream(), line.text()), run);
        run.checkNotInterrupted();
        if (result.exitCode() != 0) {
            throw new StepFailure("TOOL_FAILED", program + " exited with " + result.exitCode()
                    + (result.stderrTail().isBlank() ? "" : ": " + result.stderrTail()));
        }
        report.sequencesDone(batch.size(), "batch " + (index + 1) + "/" + count + " done");
    }

    private Path batchFile(int index, String extension) {
        return scratch.resolve(String.format("batch-%04d.%s", index, extension));
    }
}
