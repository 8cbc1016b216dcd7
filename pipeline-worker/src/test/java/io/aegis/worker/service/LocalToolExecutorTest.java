package io.aegis.worker.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.events.LogStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalToolExecutorTest {

    private final LocalToolExecutor executor = new LocalToolExecutor();

    @TempDir
    Path dir;

    /** A cancellation the test fires itself. */
    private static final class Switch implements Cancellation {
        private final Set<Runnable> actions = ConcurrentHashMap.newKeySet();

        @Override
        public Registration onCancel(Runnable action) {
            actions.add(action);
            return () -> actions.remove(action);
        }

        void fire() {
            actions.forEach(Runnable::run);
        }
    }

    private static List<String> sh(String script) {
        return List.of("sh", "-c", script);
    }

    @Test
    void eachLineKeepsTheStreamItCameFromAndItsOrder() {
        List<ToolExecutor.Line> lines = new CopyOnWriteArrayList<>();
        ToolExecutor.Result result = executor.run(sh("echo one; echo oops >&2; echo two; echo worse >&2"), dir,
                lines::add, Cancellation.NONE);
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
        ToolExecutor.Result result = executor.run(sh(script), dir, line -> {
            if (line.text().equals("ready")) {
                touch(seen);
            }
        }, Cancellation.NONE);
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void aFailingToolGivesItsExitCodeAndTheLastLinesOfItsErrors() {
        ToolExecutor.Result result = executor.run(sh("for i in $(seq 1 15); do echo \"err $i\" >&2; done; exit 3"),
                dir, line -> { }, Cancellation.NONE);
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderrTail().lines().toList()).hasSize(LocalToolExecutor.STDERR_TAIL)
                .startsWith("err 6").endsWith("err 15");
    }

    @Test
    void cancellingKillsTheToolAndEveryProcessItStarted() throws Exception {
        Switch cancel = new Switch();
        List<Long> children = new CopyOnWriteArrayList<>();
        ToolExecutor.Result result = executor.run(sh("sleep 300 & echo $!; wait"), dir, line -> {
            children.add(Long.parseLong(line.text().strip()));
            cancel.fire();
        }, cancel);
        assertThat(result.exitCode()).isNotZero();
        assertThat(children).hasSize(1);
        Optional<ProcessHandle> sleeper = ProcessHandle.of(children.getFirst());
        if (sleeper.isPresent()) {
            // a killed process may take a moment to be reaped; one still running after a minute is a failure
            sleeper.get().onExit().get(1, TimeUnit.MINUTES);
        }
        assertThat(ProcessHandle.of(children.getFirst()).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void aToolThatIsNotInstalledIsAClearError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> executor.run(List.of("no-such-tool-aegis"), dir,
                line -> { }, Cancellation.NONE)).hasMessageContaining("Cannot start no-such-tool-aegis");
    }

    private static void touch(Path file) {
        try {
            Files.createFile(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
