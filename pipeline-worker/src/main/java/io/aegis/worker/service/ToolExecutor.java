package io.aegis.worker.service;

import io.aegis.events.LogStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Where the tools of a pipeline run. Pipelines only say what to run; an executor decides how:
 * a local child process ({@link LocalToolExecutor}) or a Kubernetes Job per task.
 */
public interface ToolExecutor {

    /**
     * One line a tool printed, as it printed it.
     *
     * @param origin where the line is kept apart from the worker (a Kubernetes pod's log), or null
     *               for a local process's line
     */
    record Line(LogStream stream, String text, Origin origin) {

        /** A line of a local process. */
        public Line(LogStream stream, String text) {
            this(stream, text, null);
        }
    }

    /**
     * Where a line is kept apart from the worker, so that it can be told apart from every other
     * line wherever else it is read: a Kubernetes pod's log.
     *
     * @param source {@code pod/container}
     * @param index  the line's place in that container's log, from 0
     */
    record Origin(String source, long index) {

        public Origin {
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * How a tool ended.
     *
     * @param stderrTail the last lines of standard error, for the error a user sees
     * @param timedOut   true when the executor stopped the tool because it outran {@link Task#timeout()}
     */
    record Result(int exitCode, String stderrTail, boolean timedOut) {

        public Result(int exitCode, String stderrTail) {
            this(exitCode, stderrTail, false);
        }
    }

    /**
     * One run of one tool for one part of a job: the command, where it runs, and which job, step
     * and batch it belongs to (a Kubernetes executor labels its Jobs with them).
     *
     * @param jobId   the job, or null for work outside any job, such as building a database
     * @param command the program and its arguments, never through a shell
     * @param batch   the batch's index within the step, 0 when the step has no batches
     * @param timeout the longest the tool may run before it is stopped
     */
    record Task(UUID jobId, int attempt, String step, int batch, List<String> command, Path workDir,
                Duration timeout) {

        /** A tool run outside any job, such as building a database. */
        public static Task standalone(String step, List<String> command, Path workDir, Duration timeout) {
            return new Task(null, 0, step, 0, command, workDir, timeout);
        }

        public Task {
            Objects.requireNonNull(step, "step");
            command = List.copyOf(command);
            if (command.isEmpty()) {
                throw new IllegalArgumentException("a task needs a command");
            }
            Objects.requireNonNull(workDir, "workDir");
            Objects.requireNonNull(timeout, "timeout");
        }

        /** The program's name, e.g. {@code blastp}. */
        public String program() {
            return command.getFirst();
        }
    }

    /**
     * Runs a tool to completion, handing over each line of its output as soon as it is printed.
     * When {@code cancellation} fires, the tool and everything it started are stopped; when it
     * outruns the task's timeout likewise, and the result says it timed out.
     */
    Result run(Task task, Consumer<Line> lines, Cancellation cancellation);
}
