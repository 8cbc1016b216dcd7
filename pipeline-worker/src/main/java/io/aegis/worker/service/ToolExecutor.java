package io.aegis.worker.service;

import io.aegis.events.LogStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where the tools of a pipeline run. Pipelines only say what to run; an executor decides how:
 * a local child process ({@link LocalToolExecutor}) or, later, a Kubernetes Job.
 */
public interface ToolExecutor {

    /** One line a tool printed, as it printed it. */
    record Line(LogStream stream, String text) {
    }

    /** @param stderrTail the last lines of standard error, for the error a user sees */
    record Result(int exitCode, String stderrTail) {
    }

    /**
     * Runs a tool to completion, handing over each line of its output as soon as it is printed.
     * When {@code cancellation} fires, the tool and everything it started are stopped.
     *
     * @param command the program and its arguments, never through a shell
     */
    Result run(List<String> command, Path workDir, Consumer<Line> lines, Cancellation cancellation);
}
