package io.aegis.worker.service;

import io.aegis.events.Steps;
import io.aegis.sequences.FastaRecord;
import io.aegis.worker.domain.SharedBatch;
import io.quarkus.logging.Log;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The worker's searches, shared by every job it runs: at most {@code permits} batches are searched
 * at once, whichever jobs they belong to, in the order they asked; and batches of different jobs that
 * wait for the same search (the same tool, database and parameters: the same {@link Batch#key}) and
 * write their hits directly are searched together, in one tool run of up to {@code maxResidues}.
 *
 * <p>Starting the tool is most of what a small search costs (BLAST+ loads about ninety libraries
 * before it reads a query), so many one-query jobs searched together cost little more than one. Nothing
 * waits for company: a batch is searched as soon as a permit is free, with whatever compatible batches
 * wait beside it then.
 *
 * <p>A batch searched alone runs exactly as it would without sharing ({@link Batch#alone}), in its own
 * job's folder, and its job's cancel stops it. A shared run works in a folder of its own under the
 * scratch root (with its {@link ScratchRecords record}, so a worker killed mid-run is cleaned up after);
 * each query is renamed {@code <member>_<id>} there ({@link SharedBatch}), and the hits are handed back to
 * each batch under its own ids. A job cancelled meanwhile stops waiting at once; the run stops when every
 * batch in it has stopped waiting. A shared run that fails is never another job's failure: each of its
 * batches is then searched alone, where a failure is its own.
 */
final class SharedSearches implements AutoCloseable {

    /**
     * One batch of one job that asks to be searched.
     *
     * @param key       the search with its files left out: batches with equal keys may share a run
     * @param shareable whether the search writes its hits directly ({@code out}); one that keeps an archive
     *                  always runs alone
     * @param queries   the batch's queries, named uniquely within the batch
     * @param out       where the batch's tabular hits go
     * @param command   the search for given query and hits files
     * @param lines     where the lines a shared run prints go, for the batch's job's log
     * @param alone     searches the batch by itself, as without sharing; runs on the asking thread
     * @param run       the batch's job, whose cancel stops its wait
     * @param deadline  when the batch's wait and search must be over
     */
    record Batch(String key, boolean shareable, List<FastaRecord> queries, Path out,
                 BiFunction<Path, Path, List<String>> command, Consumer<ToolExecutor.Line> lines, Alone alone,
                 JobRun run, Instant deadline) {

        long residues() {
            return queries.stream().mapToLong(FastaRecord::length).sum();
        }
    }

    /** A batch's own search, as it runs without sharing. */
    @FunctionalInterface
    interface Alone {
        void search() throws IOException;
    }

    /**
     * How a batch was searched.
     *
     * @param others how many other batches shared its run: none for a batch searched alone
     */
    record Searched(int others) {

        /** Whether with other batches, in one run. */
        boolean shared() {
            return others > 0;
        }
    }

    /** What a waiting batch's turn brings. */
    private enum Turn {
        /** A permit, to search alone and give back. */
        ALONE,
        /** It was searched with others. */
        SHARED,
        /** Its shared run failed: to ask again, alone. */
        SHARED_RUN_FAILED
    }

    private final int permits;
    private final long maxResidues;
    private final ToolExecutor tools;
    private final Path scratchRoot;
    private final ExecutorService runs = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().name("shared-search-", 1).daemon().factory());
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private int running;

    /**
     * @param permits     batches searched at once on this worker
     * @param maxResidues the most query residues of one shared run
     */
    SharedSearches(int permits, long maxResidues, ToolExecutor tools, Path scratchRoot) {
        this.permits = Math.max(1, permits);
        this.maxResidues = maxResidues;
        this.tools = tools;
        this.scratchRoot = scratchRoot;
    }

    /** A batch waiting for its turn; {@code turn} completes when it has one. */
    private static final class Waiting {
        final Batch batch;
        /** Asked again after its shared run failed: searched alone, ahead of those that came after it. */
        final boolean again;
        final CompletableFuture<Turn> turn = new CompletableFuture<>();
        /** The batch holds a permit, to give back once its own search ends. */
        boolean holdsPermit;
        /** How many other batches shared its run. */
        int others;

        Waiting(Batch batch, boolean again) {
            this.batch = batch;
            this.again = again;
        }

        boolean shareable() {
            return batch.shareable() && !again;
        }
    }

    /**
     * Searches {@code batch} when its turn comes: alone, on this thread, or with others, its hits then
     * written to {@link Batch#out}.
     *
     * @throws JobRun.Interrupted when the batch's job was cancelled or stopped while it waited
     * @throws TimeoutException   when its deadline passed before it was searched
     */
    Searched search(Batch batch) throws IOException, TimeoutException {
        Waiting me = new Waiting(batch, false);
        Turn turn = await(me);
        if (turn == Turn.SHARED) {
            return new Searched(me.others);
        }
        if (turn == Turn.SHARED_RUN_FAILED) {
            me = new Waiting(batch, true);
            turn = await(me);
        }
        try {
            batch.alone().search();
            return new Searched(0);
        } finally {
            release();
        }
    }

    /** Queues {@code me} and waits for its turn, its job's cancel or its deadline. */
    private Turn await(Waiting me) throws TimeoutException {
        synchronized (this) {
            if (me.again) {
                waiting.addFirst(me);
            } else {
                waiting.addLast(me);
            }
            dispatch();
        }
        try (Cancellation.Registration ignored = me.batch.run().onCancel(() -> me.turn.cancel(false))) {
            Duration left = Duration.between(Instant.now(), me.batch.deadline());
            return me.turn.get(Math.max(0, left.toMillis()), TimeUnit.MILLISECONDS);
        } catch (CancellationException e) {
            giveUp(me);
            throw new JobRun.Interrupted();
        } catch (TimeoutException e) {
            giveUp(me);
            throw e;
        } catch (InterruptedException e) {
            giveUp(me);
            Thread.currentThread().interrupt();
            throw new JobRun.Interrupted();
        } catch (ExecutionException e) {
            throw new IllegalStateException("A turn never fails", e);
        }
    }

    /** {@code me} stops waiting: out of the queue, or its permit back if it was just given one. */
    private synchronized void giveUp(Waiting me) {
        me.turn.cancel(false);
        if (!waiting.remove(me) && me.holdsPermit) {
            me.holdsPermit = false;
            running--;
            dispatch();
        }
    }

    /** How many batches wait for a turn. */
    synchronized int waiting() {
        return (int) waiting.stream().filter(w -> !w.turn.isDone()).count();
    }

    private synchronized void release() {
        running--;
        dispatch();
    }

    /** Gives the free permits to the batches waiting longest, each with what may share its run. */
    private void dispatch() {
        while (running < permits && !waiting.isEmpty()) {
            Waiting head = waiting.pollFirst();
            if (head.turn.isDone()) {
                continue;
            }
            List<Waiting> group = new ArrayList<>(List.of(head));
            if (head.shareable()) {
                long residues = head.batch.residues();
                for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
                    Waiting next = it.next();
                    if (next.shareable() && next.batch.key().equals(head.batch.key())
                            && !next.turn.isDone() && residues + next.batch.residues() <= maxResidues) {
                        residues += next.batch.residues();
                        group.add(next);
                        it.remove();
                    }
                }
            }
            running++;
            if (group.size() == 1) {
                head.holdsPermit = true;
                head.turn.complete(Turn.ALONE);
            } else {
                runs.execute(() -> runShared(group));
            }
        }
    }

    /** One tool run for the batches of {@code group}; each learns its outcome, its permit back at the end. */
    private void runShared(List<Waiting> group) {
        Path folder = scratchRoot.resolve("shared-" + UUID.randomUUID());
        boolean searched = false;
        try {
            ScratchRecords.claim(folder);
            Files.createDirectories(folder);
            searched = searchTogether(group, folder);
        } catch (IOException | RuntimeException e) {
            Log.warnf("A shared search of %d batches failed; each is searched alone: %s", group.size(), e.toString());
        } finally {
            // the run leaves nothing behind by the time its batches learn how it went
            try {
                FileTrees.delete(folder);
                ScratchRecords.release(folder);
            } catch (IOException | RuntimeException e) {
                Log.warnf("Scratch %s was not removed: %s", folder, e.getMessage());
            }
            for (Waiting member : group) {
                member.others = group.size() - 1;
                member.turn.complete(searched ? Turn.SHARED : Turn.SHARED_RUN_FAILED);
            }
            release();
        }
    }

    private boolean searchTogether(List<Waiting> group, Path folder) throws IOException {
        List<List<FastaRecord>> members = group.stream().map(w -> w.batch.queries()).toList();
        Path queries = folder.resolve("batch.fa");
        Path hits = folder.resolve("batch.tsv");
        Files.writeString(queries, SharedBatch.fasta(members));
        List<String> command = group.getFirst().batch.command().apply(queries, hits);
        Instant latest = group.stream().map(w -> w.batch.deadline()).max(Comparator.naturalOrder()).orElseThrow();
        Duration timeout = Duration.between(Instant.now(), latest);
        if (timeout.isNegative() || timeout.isZero()) {
            return false;
        }
        ToolExecutor.Result result = tools.run(new ToolExecutor.Task(null, 0, Steps.SEARCH, 0, command, folder, timeout),
                line -> group.forEach(w -> {
                    if (!w.turn.isDone()) {
                        w.batch.lines().accept(line);
                    }
                }), everyOneGone(group));
        if (result.exitCode() != 0 || result.timedOut() || !Files.isRegularFile(hits)) {
            Log.warnf("A shared %s run of %d batches ended with %d%s: %s", command.getFirst(), group.size(),
                    result.exitCode(), result.timedOut() ? " (timed out)" : "", result.stderrTail());
            return false;
        }
        List<Writer> outs = new ArrayList<>(group.size());
        try (BufferedReader in = Files.newBufferedReader(hits, StandardCharsets.UTF_8)) {
            for (Waiting member : group) {
                // a batch that stopped waiting may have lost its folder with its job: its rows go nowhere
                outs.add(member.turn.isDone() ? Writer.nullWriter()
                        : Files.newBufferedWriter(member.batch.out(), StandardCharsets.UTF_8));
            }
            SharedBatch.split(in, outs);
        } finally {
            for (Writer out : outs) {
                out.close();
            }
        }
        return true;
    }

    /** Fires when every batch of {@code group} stopped waiting (its job cancelled, stopped or out of time). */
    private static Cancellation everyOneGone(List<Waiting> group) {
        return action -> {
            List<Cancellation.Registration> registrations = group.stream()
                    .map(w -> w.batch.run().onCancel(() -> {
                        if (group.stream().allMatch(m -> m.batch.run().isInterrupted())) {
                            action.run();
                        }
                    })).toList();
            return () -> registrations.forEach(Cancellation.Registration::close);
        };
    }

    @Override
    public void close() {
        runs.shutdownNow();
    }
}
