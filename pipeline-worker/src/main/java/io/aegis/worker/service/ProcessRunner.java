package io.aegis.worker.service;

import io.aegis.events.LogStream;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a child process and hands over each line of its standard output and error as soon as the
 * child prints it (one reader thread per stream), keeping the last lines of standard error for
 * the error message.
 */
@ApplicationScoped
public class ProcessRunner {

    private static final int STDERR_TAIL = 10;

    public record Line(LogStream stream, String text) {
    }

    public record Result(int exitCode, String stderrTail) {
    }

    /** Runs to completion; {@code started} receives the process so it can be killed from elsewhere. */
    public Result run(List<String> command, Path workDir, Consumer<Line> lines, Consumer<Process> started) {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(workDir.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command.getFirst(), e);
        }
        started.accept(process);
        closeQuietly(process);
        Deque<String> tail = new ArrayDeque<>();
        Thread out = Thread.ofVirtual().start(() -> pump(process, LogStream.STDOUT, lines, null));
        Thread err = Thread.ofVirtual().start(() -> pump(process, LogStream.STDERR, lines, tail));
        try {
            int exit = process.waitFor();
            out.join();
            err.join();
            synchronized (tail) {
                return new Result(exit, String.join("\n", tail));
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command.getFirst(), e);
        }
    }

    public Result run(List<String> command, Path workDir, Consumer<Line> lines) {
        return run(command, workDir, lines, process -> { });
    }

    private static void pump(Process process, LogStream stream, Consumer<Line> lines, Deque<String> tail) {
        var input = stream == LogStream.STDOUT ? process.getInputStream() : process.getErrorStream();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (tail != null) {
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > STDERR_TAIL) {
                            tail.removeFirst();
                        }
                    }
                }
                lines.accept(new Line(stream, line));
            }
        } catch (IOException ended) {
            // the process was killed: its streams close under us
        }
    }

    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // nothing to send to the child anyway
        }
    }
}
