package io.aegis.worker.service;

import io.aegis.events.JobRequestedEvent;
import io.aegis.events.LogStream;
import io.aegis.events.Steps;
import io.aegis.events.StoreLayout;
import io.aegis.sequences.Fasta;
import io.aegis.sequences.FastaRecord;
import io.aegis.worker.domain.Batches;
import io.aegis.worker.domain.BlastProgram;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The BLAST pipeline, step by step: validate → split → search → merge → finalize. Batches are
 * searched in parallel, each by a real {@code blastp}/{@code blastn} process; the merged result
 * is {@code results/hits.tsv}, in query order.
 */
final class BlastPipeline {

    static final String OUTFMT = "6 qseqid sseqid pident length mismatch gapopen qstart qend sstart send evalue bitscore";

    private final JobRequestedEvent job;
    private final JobRun run;
    private final JobReporter report;
    private final DatabaseRegistry databases;
    private final ProcessRunner processes;
    private final StoreLayout store;
    private final Path scratch;
    private final long maxBatchResidues;
    private final int concurrency;

    BlastPipeline(JobRequestedEvent job, JobRun run, JobReporter report, DatabaseRegistry databases,
                  ProcessRunner processes, StoreLayout store, Path scratch, long maxBatchResidues, int concurrency) {
        this.job = job;
        this.run = run;
        this.report = report;
        this.databases = databases;
        this.processes = processes;
        this.store = store;
        this.scratch = scratch;
        this.maxBatchResidues = maxBatchResidues;
        this.concurrency = concurrency;
    }

    void execute() throws IOException, InterruptedException {
        report.stepStarted(Steps.VALIDATE, "Checking the input and the database");
        BlastProgram program = program();
        BlastDatabase database = databases.find(job.database())
                .orElseThrow(() -> new StepFailure("DATABASE_NOT_FOUND", "There is no database '" + job.database() + "'."));
        if (database.type() != program.databaseType()) {
            throw new StepFailure("DATABASE_TYPE_MISMATCH", program.command() + " needs a "
                    + program.databaseType().name().toLowerCase() + " database; '" + database.name() + "' is "
                    + database.type().name().toLowerCase() + ".");
        }
        List<FastaRecord> queries = Fasta.parse(Files.readString(store.resolve(job.inputRef())));
        report.total(queries.size());
        report.stepCompleted(Steps.VALIDATE, queries.size() + " queries against " + database.name()
                + " (" + database.sequences() + " sequences)");
        run.checkNotCancelled();

        report.stepStarted(Steps.SPLIT, "Splitting the queries into batches");
        long residues = queries.stream().mapToLong(FastaRecord::length).sum();
        List<List<FastaRecord>> batches = Batches.split(queries,
                Batches.residuesPerBatch(residues, concurrency, maxBatchResidues));
        Files.createDirectories(scratch);
        for (int i = 0; i < batches.size(); i++) {
            Files.writeString(batchFile(i, "fa"), Fasta.write(batches.get(i)));
        }
        report.stepCompleted(Steps.SPLIT, batches.size() + " batches of up to " + maxBatchResidues + " residues");
        run.checkNotCancelled();

        report.stepStarted(Steps.SEARCH, "Searching " + queries.size() + " queries with " + program.command());
        search(program, database, batches);
        report.stepCompleted(Steps.SEARCH, queries.size() + " queries searched");

        report.stepStarted(Steps.MERGE, "Merging " + batches.size() + " batch results");
        Path results = Files.createDirectories(store.results(job.jobId()));
        Path merged = results.resolve("hits.tsv.part");
        try (OutputStream out = Files.newOutputStream(merged)) {
            for (int i = 0; i < batches.size(); i++) {
                Files.copy(batchFile(i, "tsv"), out);
            }
        }
        Files.move(merged, results.resolve("hits.tsv"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        report.stepCompleted(Steps.MERGE, "hits.tsv written");

        report.stepStarted(Steps.FINALIZE, "Cleaning up");
        DatabaseRegistry.deleteTree(scratch);
    }

    private void search(BlastProgram program, BlastDatabase database, List<List<FastaRecord>> batches)
            throws InterruptedException, IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, batches.size()));
        try {
            List<Future<?>> searches = new ArrayList<>();
            for (int i = 0; i < batches.size(); i++) {
                int index = i;
                searches.add(pool.submit(() -> {
                    searchBatch(program, database, index, batches.size(), batches.get(index));
                    return null;
                }));
            }
            for (Future<?> search : searches) {
                try {
                    search.get();
                } catch (ExecutionException e) {
                    run.cancelProcesses();
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IOException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void searchBatch(BlastProgram program, BlastDatabase database, int index, int count,
                             List<FastaRecord> batch) {
        run.checkNotCancelled();
        report.log("worker", LogStream.STDOUT, "batch " + (index + 1) + "/" + count + ": " + batch.size()
                + " sequences, " + program.command());
        List<String> command = new ArrayList<>(List.of(program.command(),
                "-query", batchFile(index, "fa").toString(),
                "-db", database.path().toString(),
                "-outfmt", OUTFMT,
                "-out", batchFile(index, "tsv").toString(),
                "-num_threads", "1"));
        params().forEach((flag, value) -> command.addAll(List.of("-" + flag, value)));
        ProcessRunner.Result result = processes.run(command, scratch,
                line -> report.log(program.command(), line.stream(), line.text()), run::track);
        run.checkNotCancelled();
        if (result.exitCode() != 0) {
            throw new StepFailure("TOOL_FAILED", program.command() + " exited with " + result.exitCode()
                    + (result.stderrTail().isBlank() ? "" : ": " + result.stderrTail()));
        }
        report.sequencesDone(batch.size(), "batch " + (index + 1) + "/" + count + " done");
    }

    private BlastProgram program() {
        Object name = job.params() == null ? null : job.params().get("program");
        try {
            return BlastProgram.of(name == null ? "blastp" : name.toString());
        } catch (IllegalArgumentException e) {
            throw new StepFailure("INVALID_PARAMETER", e.getMessage());
        }
    }

    /** The optional BLAST options a job may set, as command-line flags. */
    private Map<String, String> params() {
        Map<String, String> flags = new java.util.LinkedHashMap<>();
        if (job.params() != null) {
            for (String key : List.of("evalue", "max_target_seqs")) {
                Object value = job.params().get(key);
                if (value != null) {
                    flags.put(key, value.toString());
                }
            }
        }
        return flags;
    }

    private Path batchFile(int index, String extension) {
        return scratch.resolve(String.format("batch-%04d.%s", index, extension));
    }
}
