package io.aegis.worker.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aegis.worker.domain.ScratchRecord.ProcessId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker killed outright leaves its tools running and its scratch behind; the next worker on the
 * host stops and removes them at start, from the records beside the folders, with real processes.
 * The killed worker is played by a process that has ended: its record names it as the owner.
 */
class ScratchRecordsTest {

    @TempDir
    Path scratchRoot;

    private final List<ProcessHandle> started = new CopyOnWriteArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(LocalToolExecutor::destroyTree);
    }

    @Test
    void aToolLeftByAKilledWorkerIsStoppedWithItsChildrenAndItsScratchRemovedAtTheNextStart() throws Exception {
        Path scratch = scratchRoot.resolve(UUID.randomUUID() + "-1");
        ScratchRecords.claim(scratch, endedProcess());
        Files.createDirectories(scratch);
        Files.writeString(scratch.resolve("batch-0000.fa"), ">Q1\nMKTAYIAKQR\n");

        // the earlier worker's executor starts a tool that starts a child of its own, then the worker dies
        CompletableFuture<ToolExecutor.Result> tool = CompletableFuture.supplyAsync(() -> new LocalToolExecutor().run(
                new ToolExecutor.Task(UUID.randomUUID(), 1, "search", 0,
                        List.of("sh", "-c", "sleep 600 & echo started; wait"), scratch, Duration.ofMinutes(10)),
                line -> { }, Cancellation.NONE));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(ScratchRecords.recordOf(scratch)).size() == 2);
        ProcessHandle sh = tool(scratch);
        started.add(sh);
        await().atMost(Duration.ofSeconds(10)).until(() -> sh.descendants().findAny().isPresent());
        List<ProcessHandle> children = sh.descendants().toList();
        started.addAll(children);

        assertThat(ScratchRecords.reap(scratchRoot)).isEqualTo(1);

        await().atMost(Duration.ofSeconds(5)).until(() -> !sh.isAlive() && children.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(scratch).doesNotExist();
        assertThat(ScratchRecords.recordOf(scratch)).doesNotExist();
        assertThat(tool.get(10, TimeUnit.SECONDS).exitCode()).as("the tool died of SIGKILL").isEqualTo(137);
    }

    @Test
    void aRunningWorkersScratchAndToolsAreLeftAloneAndAReusedNumberIsNeverKilled() throws Exception {
        Path mine = scratchRoot.resolve(UUID.randomUUID() + "-1");
        ScratchRecords.claim(mine);
        Files.createDirectories(mine);

        Process bystander = new ProcessBuilder("sleep", "600").start();
        started.add(bystander.toHandle());
        ProcessId real = ScratchRecords.id(bystander.toHandle()).orElseThrow();
        Path theirs = scratchRoot.resolve(UUID.randomUUID() + "-2");
        ScratchRecords.claim(theirs, endedProcess());
        Files.createDirectories(theirs);
        // a record of a process that ended, whose number the bystander now has
        Files.writeString(ScratchRecords.recordOf(theirs), "tool " + real.pid() + " "
                + real.started().minusSeconds(3600) + "\n", StandardOpenOption.APPEND);

        assertThat(ScratchRecords.reap(scratchRoot)).isEqualTo(1);
        assertThat(mine).isDirectory();
        assertThat(ScratchRecords.recordOf(mine)).exists();
        assertThat(theirs).doesNotExist();
        assertThat(bystander.isAlive()).isTrue();
    }

    @Test
    void aToolOutsideAClaimedFolderLeavesNoRecord() throws Exception {
        Path work = Files.createDirectories(scratchRoot.resolve("build"));
        new LocalToolExecutor().run(new ToolExecutor.Task(UUID.randomUUID(), 1, "search", 0, List.of("true"), work,
                Duration.ofSeconds(10)), line -> { }, Cancellation.NONE);
        assertThat(ScratchRecords.recordOf(work)).doesNotExist();
    }

    /** The process recorded as the tool's in the folder's record: alive, the folder's one tool. */
    private static ProcessHandle tool(Path scratch) throws Exception {
        String line = Files.readAllLines(ScratchRecords.recordOf(scratch)).get(1);
        return ProcessHandle.of(Long.parseLong(line.split(" ")[1])).orElseThrow();
    }

    /** A process that ran and ended: what a killed worker is by the time the next one starts. */
    private static ProcessId endedProcess() throws Exception {
        Process process = new ProcessBuilder("sleep", "30").start();
        ProcessId id = ScratchRecords.id(process.toHandle()).orElseThrow();
        process.destroyForcibly().waitFor();
        return id;
    }
}
