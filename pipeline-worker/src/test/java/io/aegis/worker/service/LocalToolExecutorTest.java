package io.aegis.worker.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.events.LogStream;
import io.aegis.worker.domain.ToolEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalToolExecutorTest {

    private final LocalToolExecutor executor = new LocalToolExecutor();

    @TempDir
    Path dir;

    private ToolExecutor.Result run(String script, java.util.function.Consumer<ToolExecutor.Line> lines,
                                    Cancellation cancellation) {
        return run(script, Duration.ofMinutes(5), lines, cancellation);
    }

    private ToolExecutor.Result run(String script, Duration timeout, java.util.function.Consumer<ToolExecutor.Line> lines,
                                    Cancellation cancellation) {
        return executor.run(new ToolExecutor.Task(UUID.randomUUID(), 1, "search", 0, List.of("sh", "-c", script), dir,
                timeout), lines, cancellation);
    }

    @Test
    void eachLineKeepsTheStreamItCameFromAndItsOrder() {
        List<ToolExecutor.Line> lines = new CopyOnWriteArrayList<>();
        ToolExecutor.Result result = run("echo one; echo oops >&2; echo two; echo worse >&2", lines::add, Cancellation.NONE);
        assertThat(result.exitCode()).isZero();
        assertThat(lines.stream().filter(l -> l.stream() == LogStream.STDOUT).map(ToolExecutor.Line::text))
                .containsExactly("one", "two");
        assertThat(lines.stream().filter(l -> l.stream() == LogStream.STDERR).map(ToolExecutor.Line::text))
                .containsExactly("oops", "worse");
    }

    @Test
    void aLineIsHandedOverWhileTheToolStillRuns() {
        // the child prints, then waits for the file the line handler creates; a reader that only
        // looked at the output after the child ended would see it give up and exit 1
        Path seen = dir.resolve("seen");
        String script = "echo ready; i=0; while [ ! -f seen ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done; "
                + "[ -f seen ]";
        ToolExecutor.Result result = run(script, line -> {
            if (line.text().equals("ready")) {
                touch(seen);
            }
        }, Cancellation.NONE);
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void theToolStartsWithoutTheWorkersEnvironment() {
        Map<String, String> worker = System.getenv();
        assertThat(ToolEnvironment.of(worker)).as("this test's own environment has variables a tool must not get")
                .hasSizeLessThan(worker.size());
        List<ToolExecutor.Line> lines = new CopyOnWriteArrayList<>();

        ToolExecutor.Result result = run("env", lines::add, Cancellation.NONE);

        assertThat(result.exitCode()).isZero();
        Map<String, String> seen = lines.stream().map(ToolExecutor.Line::text).filter(line -> line.contains("="))
                .collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')),
                        line -> line.substring(line.indexOf('=') + 1), (a, b) -> b));
        // the shell adds a few of its own (PWD, SHLVL, _); everything the worker had is one a tool may have
        Map<String, String> inherited = new HashMap<>(seen);
        inherited.keySet().retainAll(worker.keySet());
        inherited.keySet().removeAll(Set.of("PWD", "OLDPWD", "SHLVL", "_"));
        assertThat(inherited).isEqualTo(ToolEnvironment.of(worker));
    }

    @Test
    void aFailingToolGivesItsExitCodeAndTheLastLinesOfItsErrors() {
        ToolExecutor.Result result = run("for i in $(seq 1 15); do echo \"err $i\" >&2; done; exit 3", line -> { }, Cancellation.NONE);
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderrTail().lines().toList()).hasSize(LocalToolExecutor.STDERR_TAIL)
                .startsWith("err 6").endsWith("err 15");
    }

    @Test
    void cancellingKillsTheToolAndEveryProcessItStarted() throws Exception {
        CancelSwitch cancel = new CancelSwitch();
        List<Long> children = new CopyOnWriteArrayList<>();
        ToolExecutor.Result result = run("sleep 300 & echo $!; wait", line -> {
            children.add(Long.parseLong(line.text().strip()));
            cancel.fire();
        }, cancel);
        assertThat(result.exitCode()).isNotZero();
        assertThat(children).hasSize(1);
        assertStopsWithinTwoSeconds(children.getFirst(), System.nanoTime());
    }

    @Test
    void aToolThatIsNotInstalledIsAClearError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> executor.run(new ToolExecutor.Task(UUID.randomUUID(), 1,
                "search", 0, List.of("no-such-tool-aegis"), dir, Duration.ofMinutes(1)), line -> { }, Cancellation.NONE)).hasMessageContaining("Cannot start no-such-tool-aegis");
    }

    @Test
    void aToolThatOutrunsItsTimeoutIsStoppedAndSaysSo() {
        long started = System.nanoTime();
        ToolExecutor.Result result = run("echo started; sleep 300", Duration.ofMillis(500), line -> { },
                Cancellation.NONE);
        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isNotZero();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aToolThatFinishesInTimeHasNotTimedOut() {
        assertThat(run("true", Duration.ofSeconds(30), line -> { }, Cancellation.NONE).timedOut()).isFalse();
    }

    @Test
    void aToolWritingThroughCStdioToAPipeStillHandsOverEachLineAsItIsPrinted() {
        // sed writes through C stdio, which keeps a pipe's output in 4 KB blocks unless the tool is
        // line-buffered; here it stays alive until the line handler has seen its line, or 10 s
        Path seen = dir.resolve("seen");
        List<ToolExecutor.Line> lines = new CopyOnWriteArrayList<>();
        ToolExecutor.Result result = run("{ echo first; i=0; while [ ! -f seen ] && [ $i -lt 100 ]; do sleep 0.1; "
                + "i=$((i+1)); done; [ -f seen ] && echo seen-in-time >&2; } | sed 's/^/> /'", line -> {
            lines.add(line);
            if (line.text().equals("> first")) {
                touch(seen);
            }
        }, Cancellation.NONE);
        assertThat(result.exitCode()).isZero();
        assertThat(lines).extracting(ToolExecutor.Line::text).contains("> first", "seen-in-time");
    }

    @Test
    void cancelKillsAChildThatOutlivedItsParentWithinTwoSeconds() throws Exception {
        // the shell starts a sleeper in the background and exits at once: the sleeper is an orphan,
        // no longer a descendant of anything the worker holds, yet still in the tool's session
        CancelSwitch cancel = new CancelSwitch();
        List<Long> orphans = new CopyOnWriteArrayList<>();
        Thread tool = Thread.ofVirtual().start(() -> run("sh -c 'sleep 300 & echo $!' ; sleep 300", line -> {
            orphans.add(Long.parseLong(line.text().strip()));
        }, cancel));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !orphans.isEmpty());
        long cancelled = System.nanoTime();
        cancel.fire();
        assertStopsWithinTwoSeconds(orphans.getFirst(), cancelled);
        tool.join(Duration.ofSeconds(30));
        assertThat(tool.isAlive()).isFalse();
    }

    /** Killed means no longer running: a killed orphan may stay a zombie until init reaps it. */
    private static void assertStopsWithinTwoSeconds(long pid, long since) throws Exception {
        while (running(pid) && System.nanoTime() - since < Duration.ofSeconds(2).toNanos()) {
            Thread.sleep(20);
        }
        assertThat(running(pid)).as("process %d still runs 2 s after the cancel", pid).isFalse();
    }

    /** Whether the process exists and is not a zombie, from its {@code /proc/<pid>/stat} state. */
    private static boolean running(long pid) throws java.io.IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return false;
        }
        try {
            String line = Files.readString(stat);
            char state = line.charAt(line.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (java.nio.file.NoSuchFileException gone) {
            return false;
        }
    }

    private static void touch(Path file) {
        try {
            Files.createFile(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
