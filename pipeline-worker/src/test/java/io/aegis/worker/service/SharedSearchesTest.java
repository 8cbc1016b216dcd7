package io.aegis.worker.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aegis.sequences.Fasta;
import io.aegis.sequences.FastaRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's shared searches with a stand-in tool that "finds" one hit per query, so what each batch
 * gets back can be told apart: which batches share a run, that each gets its own hits under its own ids,
 * and that a failed shared run, a cancel or a deadline costs no other batch anything.
 */
class SharedSearchesTest {

    @TempDir
    Path root;

    private final ExecutorService callers = Executors.newCachedThreadPool();
    /** Every run of the stand-in tool: its command. */
    private final List<List<String>> toolRuns = Collections.synchronizedList(new ArrayList<>());
    /** The stand-in tool's exit code. */
    private volatile int toolExit;

    /** While set, the stand-in tool waits for it to open before it writes anything, or for its cancellation. */
    private volatile CountDownLatch toolGate;
    /** Whether the stand-in tool's cancellation fired. */
    private final AtomicInteger toolCancelled = new AtomicInteger();

    /** Writes {@code <query>\thit-of-<query>} for each query of its input (argument 1) to its output (argument 2). */
    private final ToolExecutor tool = (task, lines, cancellation) -> {
        toolRuns.add(task.command());
        try (Cancellation.Registration ignored = cancellation.onCancel(toolCancelled::incrementAndGet)) {
            CountDownLatch gate = toolGate;
            if (gate != null) {
                gate.await();
            }
            List<FastaRecord> queries = Fasta.parse(Files.readString(Path.of(task.command().get(1))));
            StringBuilder rows = new StringBuilder();
            for (FastaRecord query : queries) {
                rows.append(query.id()).append("\thit-of-").append(query.id()).append('\n');
            }
            Files.writeString(Path.of(task.command().get(2)), rows);
            lines.accept(new ToolExecutor.Line(io.aegis.events.LogStream.STDERR, "searched " + queries.size()));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return new ToolExecutor.Result(toolExit, toolExit == 0 ? "" : "shared run broke");
    };

    private Path scratch() throws IOException {
        return Files.createDirectories(root.resolve("scratch"));
    }

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    @Test
    void batchesWaitingForTheSameSearchShareOneRunAndEachGetsItsOwnHits() throws Exception {
        SharedSearches shared = new SharedSearches(1, 1_000, tool, scratch());
        Blocker first = hold(shared);
        List<TestBatch> waiting = List.of(batch("same", 2, null), batch("same", 1, null), batch("other", 1, null),
                batch("same", 3, null));
        List<Future<SharedSearches.Searched>> asked = new ArrayList<>();
        for (TestBatch batch : waiting) {
            asked.add(queue(shared, batch));
        }
        assertThat(first.release()).isEqualTo(new SharedSearches.Searched(0));
        assertThat(asked.get(0).get(5, TimeUnit.SECONDS)).isEqualTo(new SharedSearches.Searched(2));
        assertThat(asked.get(1).get(5, TimeUnit.SECONDS)).isEqualTo(new SharedSearches.Searched(2));
        assertThat(asked.get(3).get(5, TimeUnit.SECONDS)).isEqualTo(new SharedSearches.Searched(2));
        assertThat(asked.get(2).get(5, TimeUnit.SECONDS)).as("another search runs alone").isEqualTo(
                new SharedSearches.Searched(0));
        assertThat(toolRuns).as("one run for the three batches of the same search").hasSize(1);
        for (int i : List.of(0, 1, 3)) {
            TestBatch batch = waiting.get(i);
            assertThat(Files.readAllLines(batch.out)).containsExactlyElementsOf(batch.queries.stream()
                    .map(q -> q.id() + "\thit-of-M" + List.of(0, 1, 3).indexOf(i) + "_" + q.id()).toList());
            assertThat(batch.searchedAlone.get()).isZero();
            assertThat(batch.lines).containsExactly("searched 6");
        }
        assertThat(waiting.get(2).searchedAlone.get()).isOne();
        try (var left = Files.list(scratch())) {
            assertThat(left).as("the shared run's folder and record are gone").isEmpty();
        }
    }

    @Test
    void aSharedRunIsNoLargerThanItsResidueBoundAndAnArchivingSearchNeverShares() throws Exception {
        SharedSearches shared = new SharedSearches(1, 25, tool, scratch());
        Blocker first = hold(shared);
        // three batches of 10 residues: two fit under 25, the third runs after them
        List<TestBatch> waiting = List.of(batch("same", 1, null), batch("same", 1, null), batch("same", 1, null),
                unshareable(batch("same", 1, null)));
        List<Future<SharedSearches.Searched>> asked = new ArrayList<>();
        for (TestBatch batch : waiting) {
            asked.add(queue(shared, batch));
        }
        first.release();

        assertThat(asked.get(0).get(5, TimeUnit.SECONDS).shared()).isTrue();
        assertThat(asked.get(1).get(5, TimeUnit.SECONDS).shared()).isTrue();
        assertThat(asked.get(2).get(5, TimeUnit.SECONDS).shared()).isFalse();
        assertThat(asked.get(3).get(5, TimeUnit.SECONDS).shared()).isFalse();
        assertThat(waiting.get(2).searchedAlone.get()).isOne();
        assertThat(waiting.get(3).searchedAlone.get()).isOne();
    }

    @Test
    void aSharedRunThatFailsIsNoBatchsFailureEachIsThenSearchedAlone() throws Exception {
        toolExit = 1;
        SharedSearches shared = new SharedSearches(1, 1_000, tool, scratch());
        Blocker first = hold(shared);
        TestBatch a = batch("same", 1, null);
        TestBatch b = batch("same", 2, null);
        Future<SharedSearches.Searched> askedA = queue(shared, a);
        Future<SharedSearches.Searched> askedB = queue(shared, b);
        first.release();

        assertThat(askedA.get(5, TimeUnit.SECONDS)).isEqualTo(new SharedSearches.Searched(0));
        assertThat(askedB.get(5, TimeUnit.SECONDS)).isEqualTo(new SharedSearches.Searched(0));
        assertThat(toolRuns).hasSize(1);
        assertThat(a.searchedAlone.get()).isOne();
        assertThat(b.searchedAlone.get()).isOne();
    }

    @Test
    void aBatchCancelledDuringItsSharedRunStopsWaitingAtOnceAndTheOthersStillGetTheirHits() throws Exception {
        TestBatch leaving = batch("same", 1, null);
        TestBatch staying = batch("same", 2, null);
        List<Future<SharedSearches.Searched>> asked = inOneGatedRun(leaving, staying);
        Future<SharedSearches.Searched> askedLeaving = asked.get(0);
        Future<SharedSearches.Searched> askedStaying = asked.get(1);

        leaving.run.cancel();
        assertThatThrownBy(() -> askedLeaving.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(JobRun.Interrupted.class);
        Files.delete(leaving.out);
        assertThat(toolCancelled.get()).as("the run goes on for the batch still waiting").isZero();
        toolGate.countDown();

        assertThat(askedStaying.get(5, TimeUnit.SECONDS)).isEqualTo(new SharedSearches.Searched(1));
        assertThat(Files.readAllLines(staying.out)).containsExactly("Q1\thit-of-M1_Q1", "Q2\thit-of-M1_Q2");
        assertThat(leaving.out).doesNotExist();
        assertThat(toolRuns).hasSize(1);
    }

    @Test
    void aSharedRunIsStoppedOnceEveryBatchInItStoppedWaiting() throws Exception {
        TestBatch a = batch("same", 1, null);
        TestBatch b = batch("same", 1, null);
        List<Future<SharedSearches.Searched>> asked = inOneGatedRun(a, b);

        a.run.cancel();
        assertThat(toolCancelled.get()).isZero();
        b.run.cancel();
        await().until(() -> toolCancelled.get() > 0);
        toolGate.countDown();
        for (Future<SharedSearches.Searched> each : asked) {
            assertThatThrownBy(() -> each.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(JobRun.Interrupted.class);
        }
    }

    @Test
    void aCancelledOrLateBatchStopsWaitingAndItsPlaceIsNotLost() throws Exception {
        SharedSearches shared = new SharedSearches(1, 1_000, tool, scratch());
        Blocker first = hold(shared);
        TestBatch cancelled = batch("other", 1, null);
        TestBatch late = batch("other", 1, null, Instant.now().plusMillis(300));
        Future<SharedSearches.Searched> askedCancelled = queue(shared, cancelled);
        Future<SharedSearches.Searched> askedLate = queue(shared, late);

        cancelled.run.cancel();
        assertThatThrownBy(() -> askedCancelled.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(JobRun.Interrupted.class);
        assertThatThrownBy(() -> askedLate.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
        first.release();

        TestBatch next = batch("other", 1, null);
        assertThat(ask(shared, next).get(5, TimeUnit.SECONDS)).isEqualTo(new SharedSearches.Searched(0));
        assertThat(cancelled.searchedAlone.get() + late.searchedAlone.get()).isZero();
        assertThat(next.searchedAlone.get()).isOne();
    }

    @Test
    void localToolsShareTheCoresAndKubernetesJobsKeepEachJobsConcurrency() {
        assertThat(JobRunner.searchesAtOnce(io.aegis.worker.config.WorkerConfig.ExecutorKind.LOCAL, 4, 2)).isEqualTo(2);
        assertThat(JobRunner.searchesAtOnce(io.aegis.worker.config.WorkerConfig.ExecutorKind.KUBERNETES, 4, 2)).isEqualTo(8);
    }

    /** A batch as a test sees it: its queries, where its hits go, what it printed and how often it ran alone. */
    private final class TestBatch {
        final List<FastaRecord> queries = new ArrayList<>();
        final Path out;
        final JobRun run = new JobRun(UUID.randomUUID(), 1);
        final AtomicInteger searchedAlone = new AtomicInteger();
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        SharedSearches.Batch batch;

        TestBatch(int queries) throws IOException {
            for (int i = 0; i < queries; i++) {
                this.queries.add(new FastaRecord("Q" + (i + 1), "", "ACDEFGHIKL"));
            }
            out = Files.createTempFile(root, "batch-", ".tsv");
        }
    }

    private interface Blocking {
        void await() throws InterruptedException;
    }

    private TestBatch batch(String key, int queries, Blocking alone) throws IOException {
        return batch(key, queries, alone, Instant.now().plusSeconds(30));
    }

    private TestBatch batch(String key, int queries, Blocking alone, Instant deadline) throws IOException {
        TestBatch test = new TestBatch(queries);
        Consumer<ToolExecutor.Line> lines = line -> test.lines.add(line.text());
        test.batch = new SharedSearches.Batch(key, true, test.queries, test.out,
                (in, out) -> List.of("stand-in", in.toString(), out.toString()), lines, () -> {
                    test.searchedAlone.incrementAndGet();
                    if (alone != null) {
                        try {
                            alone.await();
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                    }
                }, test.run, deadline);
        return test;
    }

    private static TestBatch unshareable(TestBatch test) {
        SharedSearches.Batch b = test.batch;
        test.batch = new SharedSearches.Batch(b.key(), false, b.queries(), b.out(), b.command(), b.lines(), b.alone(),
                b.run(), b.deadline());
        return test;
    }

    /** A batch alone in the only search, until released. */
    private record Blocker(CountDownLatch latch, Future<SharedSearches.Searched> searched) {

        /** Lets the blocking batch end; how it was searched. */
        SharedSearches.Searched release() throws Exception {
            latch.countDown();
            return searched.get(5, TimeUnit.SECONDS);
        }
    }

    /** Holds {@code shared}'s only search with a batch of its own, so that the next batches wait. */
    private Blocker hold(SharedSearches shared) throws IOException {
        CountDownLatch latch = new CountDownLatch(1);
        TestBatch blocker = batch("same", 1, latch::await);
        Future<SharedSearches.Searched> searched = ask(shared, blocker);
        await().until(() -> blocker.searchedAlone.get() == 1);
        return new Blocker(latch, searched);
    }

    /** {@code batches} searched in one run of the stand-in tool, which waits at {@link #toolGate} once started. */
    private List<Future<SharedSearches.Searched>> inOneGatedRun(TestBatch... batches) throws Exception {
        SharedSearches shared = new SharedSearches(1, 1_000, tool, scratch());
        Blocker first = hold(shared);
        List<Future<SharedSearches.Searched>> asked = new ArrayList<>();
        for (TestBatch batch : batches) {
            asked.add(queue(shared, batch));
        }
        toolGate = new CountDownLatch(1);
        first.release();
        await().until(() -> toolRuns.size() == 1);
        return asked;
    }

    /** Asks for {@code test}'s search and waits until it is in the queue, behind those asked before. */
    private Future<SharedSearches.Searched> queue(SharedSearches shared, TestBatch test) {
        int before = shared.waiting();
        Future<SharedSearches.Searched> searched = ask(shared, test);
        await().until(() -> shared.waiting() == before + 1);
        return searched;
    }

    private Future<SharedSearches.Searched> ask(SharedSearches shared, TestBatch test) {
        return callers.submit(() -> shared.search(test.batch));
    }
}
