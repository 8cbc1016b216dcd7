package io.aegis.worker.service;

import io.aegis.events.JobRequestedEvent;
import io.aegis.events.LogStream;
import io.aegis.events.SearchArchive;
import io.aegis.events.Steps;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.aegis.events.StoreLayout;
import io.aegis.pipelines.AlphabetRules;
import io.aegis.pipelines.InvalidParameter;
import io.aegis.pipelines.ParameterRules;
import io.aegis.pipelines.PipelineDefinition;
import io.aegis.pipelines.Pipelines;
import io.aegis.pipelines.SearchCommands;
import io.aegis.pipelines.StepDefinition;
import io.aegis.sequences.Fasta;
import io.aegis.sequences.FastaException;
import io.aegis.sequences.FastaRecord;
import io.aegis.worker.domain.Batches;
import io.aegis.worker.domain.Checkpoint;
import io.aegis.worker.domain.HitsMerger;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one attempt of a pipeline, step by step: validate → split → search → merge → finalize. The
 * pipeline's definition says which parameters it takes and what its search command is; this class
 * does the rest the same way for every pipeline: batches by residue count searched in parallel
 * (a bounded number at a time), then one merged {@code results/hits.tsv} and {@code results/hits.json}
 * in query order, written aside and renamed, so a failed attempt leaves no partial result.
 *
 * <p>A search whose definition has a format command keeps the tool's archive of each batch with the job
 * ({@link StoreLayout#archive}) and tabulates the hits from it; once the job's hits are merged, the
 * archive gets its {@link SearchArchive} record, and the artifact service makes BLAST's other formats
 * from it. A search smaller than {@link Settings#archiveMinSearchSpace} whose definition has a direct
 * command writes its hits directly: its record says no batch was archived, and the artifact service
 * makes the archive when a format is first asked for.
 *
 * <p>Each batch searched is kept as a checkpoint ({@link BatchCheckpoints}) as soon as it is done, and
 * an attempt takes from there every batch an earlier attempt of the job finished for the same search:
 * an attempt started again after its worker was lost, or a retry, searches only what is left.
 */
final class BatchedSearch {

    /**
     * How the worker runs searches.
     *
     * @param stepTimeout the longest a step may take when its definition sets no limit
     * @param deadline    when the whole job must be done
     * @param archiveMinSearchSpace the smallest search that keeps the tool's archive, when its pipeline can do
     *                    without ({@link StepDefinition#archives(long, long)})
     */
    record Settings(long maxBatchResidues, int concurrency, Duration stepTimeout, Instant deadline, long maxHits,
                    long archiveMinSearchSpace) {
    }

    private final JobRequestedEvent job;
    private final JobRun run;
    private final JobReporter report;
    private final Pipelines pipelines;
    private final DatabaseRegistry databases;
    private final ToolExecutor tools;
    private final SharedSearches shared;
    private final StoreLayout store;
    private final Path scratch;
    private final Settings settings;
    private final BatchCheckpoints checkpoints;
    /** Where the batches' archives are kept with the job. */
    private final Path archive;
    /** The rows the batches searched so far wrote. */
    private final AtomicLong hits = new AtomicLong();

    BatchedSearch(JobRequestedEvent job, JobRun run, JobReporter report, Pipelines pipelines, DatabaseRegistry databases,
                  ToolExecutor tools, SharedSearches shared, StoreLayout store, Path scratch, Settings settings) {
        this.job = job;
        this.run = run;
        this.report = report;
        this.pipelines = pipelines;
        this.databases = databases;
        this.tools = tools;
        this.shared = shared;
        this.store = store;
        this.scratch = scratch;
        this.settings = settings;
        this.checkpoints = new BatchCheckpoints(store.checkpoints(job.jobId()));
        this.archive = store.archive(job.jobId());
    }

    void execute() throws IOException, InterruptedException {
        run.checkNotInterrupted();

        report.stepStarted(Steps.VALIDATE, "Checking the parameters, the database and the input");
        PipelineDefinition pipeline = pipelines.find(job.pipeline()).orElseThrow(() -> new StepFailure(
                "UNKNOWN_PIPELINE", "Unknown pipeline '" + job.pipeline() + "'; available: "
                + String.join(", ", pipelines.names()) + "."));
        ParameterRules.Resolved params = params(pipeline);
        BlastDatabase database = database(pipeline, params);
        List<FastaRecord> queries = queries(pipeline, params);
        report.total(queries.size());
        report.stepCompleted(Steps.VALIDATE, queries.size() + (queries.size() == 1 ? " query, " : " queries, ")
                + AlphabetRules.chosen(pipeline, params) + " against " + database.name()
                + " (" + database.sequences() + " sequences)");
        checkTime();

        report.stepStarted(Steps.SPLIT, "Splitting " + queries.size() + " queries into batches");
        long perBatch = residuesPerBatch(queries);
        List<List<FastaRecord>> batches = Batches.split(SearchCommands.renamed(queries), perBatch);
        Files.createDirectories(scratch);
        StepDefinition step = pipeline.step(Steps.SEARCH).orElseThrow();
        boolean archives = step.archives(SearchCommands.searchSpace(residues(queries), database.residues()),
                settings.archiveMinSearchSpace());
        if (step.archives()) {
            // the record says the archive is whole: it comes back once this attempt's merge is done
            Files.createDirectories(archive);
            Files.deleteIfExists(archive.resolve(SearchArchive.FILE));
        }
        // the search every batch runs, its files named by what they hold: with a batch's queries, its checkpoint's key
        List<String> search = searchKeyCommands(pipeline, params, database, archives);
        List<String> keys = new ArrayList<>(batches.size());
        for (int i = 0; i < batches.size(); i++) {
            String fasta = Fasta.write(batches.get(i));
            Files.writeString(batchFile(i, "fa"), fasta);
            keys.add(Checkpoint.key(search, fasta));
        }
        List<Integer> left = unfinished(batches, keys, archives);
        int reused = batches.size() - left.size();
        report.stepCompleted(Steps.SPLIT, batches.size() + (batches.size() == 1 ? " batch" : " batches")
                + " of up to " + perBatch + " residues" + (reused == 0 ? "" : "; " + reused + " of "
                + batches.size() + " batches reused from an earlier attempt"));
        checkTime();

        Instant searchDeadline = stepDeadline(pipeline, Steps.SEARCH);
        int queriesLeft = left.stream().mapToInt(i -> batches.get(i).size()).sum();
        report.stepStarted(Steps.SEARCH, "Searching " + queriesLeft + (queriesLeft == 1 ? " query" : " queries")
                + " in " + left.size() + (left.size() == 1 ? " batch, " : " batches, ")
                + Math.min(settings.concurrency(), Math.max(1, left.size())) + " at a time");
        search(pipeline, params, database, batches, keys, left, archives, String.join("\u0000", search), searchDeadline);
        report.stepCompleted(Steps.SEARCH, queries.size() + " queries searched");
        checkTime();

        report.stepStarted(Steps.MERGE, "Merging " + batches.size() + " batch results");
        HitsMerger.Merged merged = merge(pipeline, queries, batches.size());
        if (step.archives()) {
            new SearchArchive(SearchArchive.SCHEMA, params.asText().getOrDefault("program", search.getFirst()), database.name(), database.version(),
                    database.path().toString(), archives ? batches.size() : 0, queries.size(), params.asText(),
                    pipeline.name()).write(archive);
        }
        report.stepCompleted(Steps.MERGE, merged.hits() + " hits for " + merged.queriesWithHits() + " of "
                + queries.size() + " queries in hits.tsv and hits.json");

        report.stepStarted(Steps.FINALIZE, "Removing scratch space");
        FileTrees.delete(scratch);
        checkpoints.clear();
    }

    /** The split an earlier attempt of the job made, so its batches are found again; else one for this worker. */
    private long residuesPerBatch(List<FastaRecord> queries) throws IOException {
        OptionalLong earlier = checkpoints.residuesPerBatch();
        if (earlier.isPresent() && earlier.getAsLong() <= settings.maxBatchResidues()) {
            return earlier.getAsLong();
        }
        long perBatch = Batches.residuesPerBatch(residues(queries), settings.concurrency(), settings.maxBatchResidues());
        checkpoints.plan(perBatch);
        return perBatch;
    }

    private static long residues(List<FastaRecord> queries) {
        return queries.stream().mapToLong(FastaRecord::length).sum();
    }

    private ParameterRules.Resolved params(PipelineDefinition pipeline) {
        try {
            return ParameterRules.resolve(pipeline, job.params());
        } catch (InvalidParameter e) {
            throw new StepFailure("INVALID_PARAMETER", e.getMessage());
        }
    }

    private BlastDatabase database(PipelineDefinition pipeline, ParameterRules.Resolved params) {
        BlastDatabase database;
        try {
            database = databases.find(job.database()).orElseThrow(() -> new StepFailure("DATABASE_NOT_FOUND",
                    "There is no database '" + job.database() + "'."));
        } catch (DatabaseRegistry.BuildFailure e) {
            throw new StepFailure("DATABASE_UNAVAILABLE", e.getMessage());
        }
        AlphabetRules.database(pipeline, params, database.name(), database.type()).ifPresent(BatchedSearch::fail);
        return database;
    }

    private List<FastaRecord> queries(PipelineDefinition pipeline, ParameterRules.Resolved params) throws IOException {
        List<FastaRecord> queries;
        try {
            queries = Fasta.parse(Files.readString(store.resolve(job.inputRef())));
        } catch (NoSuchFileException | IllegalArgumentException e) {
            throw new StepFailure("INPUT_NOT_FOUND", "The job's input " + job.inputRef() + " is not in the store.");
        } catch (FastaException e) {
            throw new StepFailure(e.code(), "The job's input is not valid FASTA: " + e.getMessage());
        }
        if (queries.isEmpty()) {
            throw new StepFailure("INVALID_FASTA", "The job's input holds no sequence.");
        }
        AlphabetRules.queries(pipeline, params, queries).ifPresent(BatchedSearch::fail);
        return queries;
    }

    /**
     * The batches no earlier attempt finished: the others are taken from their checkpoints, and
     * their queries count as done from here on.
     */
    private List<Integer> unfinished(List<List<FastaRecord>> batches, List<String> keys, boolean archives)
            throws IOException {
        List<Integer> left = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            if (reused(i, batches.size(), keys.get(i), archives ? archived(i) : null)) {
                report.counted(batches.get(i).size());
            } else {
                left.add(i);
            }
        }
        return left;
    }

    /** Searches the batches {@code left} at once up to the concurrency bound; the first failure stops the others. */
    private void search(PipelineDefinition pipeline, ParameterRules.Resolved params, BlastDatabase database,
                        List<List<FastaRecord>> batches, List<String> keys, List<Integer> left, boolean archives,
                        String searchKey, Instant deadline)
            throws InterruptedException, IOException {
        if (left.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(settings.concurrency(), left.size()),
                Thread.ofPlatform().name("batch-" + job.jobId() + "-", 1).factory());
        try {
            CompletionService<Void> searches = new ExecutorCompletionService<>(pool);
            for (int index : left) {
                searches.submit(() -> {
                    searchBatch(pipeline, params, database, index, batches.size(), batches.get(index), archives,
                            searchKey, deadline);
                    checkpoint(index, keys.get(index), archives ? archived(index) : null);
                    report.sequencesDone(batches.get(index).size(), "batch " + (index + 1) + "/" + batches.size() + " done");
                    return null;
                });
            }
            for (int i = 0; i < left.size(); i++) {
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

    /**
     * Whether batch {@code index} was taken from a checkpoint (with its {@code archived} results, when the
     * search keeps an archive); what was found there goes into the log.
     */
    private boolean reused(int index, int count, String key, Path archived) throws IOException {
        BatchCheckpoints.Found found = checkpoints.take(index, key, batchFile(index, "tsv"), archived);
        String batch = "batch " + (index + 1) + "/" + count + ": ";
        switch (found) {
            case REUSED -> {
                hits.addAndGet(FileTrees.lines(batchFile(index, "tsv")));
                report.log("worker", LogStream.STDOUT, batch + "reused from an earlier attempt");
            }
            case STALE -> report.log("worker", LogStream.STDOUT, batch + "an earlier attempt's results were made "
                    + "for another search; searching it again");
            case TAMPERED -> report.log("worker", LogStream.STDERR, batch + "an earlier attempt's results no longer "
                    + "match their digest; searching it again");
            case MISSING -> {
                // never finished before: searched as usual
            }
        }
        return found == BatchCheckpoints.Found.REUSED;
    }

    /** Keeps a searched batch for a later attempt; a checkpoint that cannot be written costs only a search. */
    private void checkpoint(int index, String key, Path archived) {
        try {
            checkpoints.keep(index, key, batchFile(index, "tsv"), archived);
        } catch (IOException e) {
            report.log("worker", LogStream.STDERR, "batch " + (index + 1) + ": not kept for a later attempt ("
                    + e.getMessage() + ")");
        }
    }

    /** The commands every batch runs, their files named by what they hold and the database by its version. */
    private static List<String> searchKeyCommands(PipelineDefinition pipeline, ParameterRules.Resolved params,
                                                  BlastDatabase database, boolean archives) {
        return commands(pipeline, params, archives, new SearchCommands.Files("{batch}",
                database.name() + "@" + database.version(), "{out}", "{archive}"));
    }

    /** The commands one batch runs: its search, then the format command when the search keeps an archive. */
    private static List<String> commands(PipelineDefinition pipeline, ParameterRules.Resolved params, boolean archives,
                                         SearchCommands.Files files) {
        List<String> commands = new ArrayList<>(SearchCommands.search(pipeline, params, archives, files));
        if (archives) {
            commands.addAll(SearchCommands.format(pipeline, files));
        }
        return commands;
    }

    private void searchBatch(PipelineDefinition pipeline, ParameterRules.Resolved params, BlastDatabase database,
                             int index, int count, List<FastaRecord> batch, boolean archives, String searchKey,
                             Instant deadline) throws IOException {
        Span span = report.trace().batch(Steps.SEARCH, index, count, batch.size());
        try {
            searchBatch(pipeline, params, database, index, count, batch, archives, searchKey, deadline, span);
        } catch (IOException | RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getMessage() == null ? e.toString() : e.getMessage());
            throw e;
        } finally {
            span.end();
        }
    }

    /**
     * Searches one batch when the worker's searches ({@link SharedSearches}) give it a turn: by itself,
     * or, for a search that writes its hits directly, in one run with other batches (of other jobs, mostly) that wait
     * for the same search ({@code searchKey}: the same commands, whatever their files).
     */
    private void searchBatch(PipelineDefinition pipeline, ParameterRules.Resolved params, BlastDatabase database,
                             int index, int count, List<FastaRecord> batch, boolean archives, String searchKey,
                             Instant deadline, Span span) throws IOException {
        run.checkNotInterrupted();
        // an archive is written aside and renamed once its hits are tabulated: a kept archive is whole
        Path archivePart = archive.resolve(SearchArchive.batchFile(index) + ".part");
        SearchCommands.Files files = new SearchCommands.Files(batchFile(index, "fa").toString(),
                database.path().toString(), batchFile(index, "tsv").toString(), archivePart.toString());
        List<String> command = SearchCommands.search(pipeline, params, archives, files);
        String program = command.getFirst();
        span.setAttribute("aegis.tool", program);
        report.log("worker", LogStream.STDOUT, "batch " + (index + 1) + "/" + count + ": " + batch.size()
                + (batch.size() == 1 ? " sequence, " : " sequences, ") + program);
        boolean shareable = pipeline.step(Steps.SEARCH).orElseThrow().searchesDirectly(archives);
        SharedSearches.Searched searched;
        try {
            searched = shared.search(new SharedSearches.Batch(searchKey, shareable,
                    batch, batchFile(index, "tsv"), (in, out) -> SearchCommands.search(pipeline, params, archives,
                            new SearchCommands.Files(in.toString(), database.path().toString(), out.toString(), "-")),
                    line -> report.log(program, line),
                    () -> searchAlone(pipeline, command, files, archivePart, index, count, archives, deadline), run, deadline));
        } catch (TimeoutException e) {
            throw timeout(deadline);
        }
        if (searched.shared()) {
            span.setAttribute("aegis.batch.shared_with", searched.others());
            report.log("worker", LogStream.STDOUT, "batch " + (index + 1) + "/" + count + ": searched in one " + program
                    + " run with " + searched.others() + (searched.others() == 1 ? " other batch" : " other batches"));
        }
        run.checkNotInterrupted();
        if (!Files.isRegularFile(batchFile(index, "tsv"))) {
            throw new StepFailure("TOOL_FAILED", program + " ended without writing its results for batch " + (index + 1) + ".");
        }
        long rows = FileTrees.lines(batchFile(index, "tsv"));
        span.setAttribute("aegis.batch.hits", rows);
        long found = hits.addAndGet(rows);
        if (found > settings.maxHits()) {
            throw new StepFailure("RESULT_TOO_LARGE", "The search found more than " + settings.maxHits() + " hits ("
                    + found + " after " + (index + 1) + " of " + count + " batches), more than one job may keep. "
                    + "Narrow it (a lower evalue, a smaller max_target_seqs) or split the input.");
        }
    }

    /** One batch's search by itself: the tool, and for a search that keeps an archive, its tabulation. */
    private void searchAlone(PipelineDefinition pipeline, List<String> command, SearchCommands.Files files,
                             Path archivePart, int index, int count, boolean archives, Instant deadline)
            throws IOException {
        runTool(command, index, count, deadline);
        if (archives) {
            if (!Files.isRegularFile(archivePart)) {
                throw new StepFailure("TOOL_FAILED", command.getFirst() + " ended without writing its archive for batch "
                        + (index + 1) + ".");
            }
            runTool(SearchCommands.format(pipeline, files), index, count, deadline);
            Files.move(archivePart, archived(index), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Runs one tool on batch {@code index} within {@code deadline}; a tool that fails fails the step. */
    private void runTool(List<String> command, int index, int count, Instant deadline) throws IOException {
        String program = command.getFirst();
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw timeout(deadline);
        }
        ToolExecutor.Result result = tools.run(new ToolExecutor.Task(job.jobId(), job.attempt(), Steps.SEARCH, index,
                command, scratch, left), line -> report.log(program, line), run);
        run.checkNotInterrupted();
        if (result.timedOut()) {
            throw timeout(deadline);
        }
        if (result.exitCode() != 0) {
            // which batch failed, and the tool's last words: a retry searches that batch again
            throw new StepFailure("TOOL_FAILED", program + " exited with " + result.exitCode()
                    + signal(result.exitCode()) + " on batch " + (index + 1) + "/" + count
                    + (result.stderrTail().isBlank() ? "" : ": " + result.stderrTail()));
        }
    }

    private HitsMerger.Merged merge(PipelineDefinition pipeline, List<FastaRecord> queries, int batches)
            throws IOException {
        Path results = Files.createDirectories(store.results(job.jobId()));
        Path tsv = results.resolve("hits.tsv.part");
        Path json = results.resolve("hits.json.part");
        List<BufferedReader> readers = new ArrayList<>();
        try (Writer tsvOut = Files.newBufferedWriter(tsv, StandardCharsets.UTF_8);
             OutputStream jsonOut = new java.io.BufferedOutputStream(Files.newOutputStream(json))) {
            for (int i = 0; i < batches; i++) {
                readers.add(Files.newBufferedReader(batchFile(i, "tsv"), StandardCharsets.UTF_8));
            }
            HitsMerger.Merged merged = HitsMerger.merge(readers, queries.stream()
                    .map(q -> new HitsMerger.Query(q.id(), q.description(), q.length())).toList(),
                    pipeline.columns(), tsvOut, jsonOut);
            tsvOut.close();
            jsonOut.close();
            Files.move(tsv, results.resolve("hits.tsv"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(json, results.resolve("hits.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return merged;
        } catch (IllegalArgumentException e) {
            throw new StepFailure("TOOL_FAILED", "The search's output cannot be merged: " + e.getMessage());
        } finally {
            for (BufferedReader reader : readers) {
                reader.close();
            }
            Files.deleteIfExists(tsv);
            Files.deleteIfExists(json);
        }
    }

    /** When the step must be done: its own limit (the definition's, else the worker's) within the job's. */
    private Instant stepDeadline(PipelineDefinition pipeline, String step) {
        Duration limit = pipeline.step(step).map(s -> s.timeout()).orElse(null);
        Instant own = Instant.now().plus(limit != null ? limit : settings.stepTimeout());
        return own.isBefore(settings.deadline()) ? own : settings.deadline();
    }

    private void checkTime() {
        run.checkNotInterrupted();
        if (!Instant.now().isBefore(settings.deadline())) {
            throw timeout(settings.deadline());
        }
    }

    private StepFailure timeout(Instant deadline) {
        return deadline.equals(settings.deadline())
                ? new StepFailure("JOB_TIMEOUT", "The job ran out of its time limit.")
                : new StepFailure("STEP_TIMEOUT", "The search step ran longer than its time limit and was stopped.");
    }

    private static void fail(AlphabetRules.Mismatch mismatch) {
        throw new StepFailure(mismatch.code(), mismatch.message());
    }

    /** Exit codes above 128 are a signal's death by shell convention; a killed tool says so. */
    private static String signal(int exit) {
        return switch (exit) {
            case 134 -> " (aborted)";
            case 137 -> " (killed, possibly out of memory)";
            case 139 -> " (segmentation fault)";
            default -> "";
        };
    }

    /** Batch {@code index}'s archive, kept with the job. */
    private Path archived(int index) {
        return archive.resolve(SearchArchive.batchFile(index));
    }

    private Path batchFile(int index, String extension) {
        return scratch.resolve(String.format("batch-%04d.%s", index, extension));
    }
}
