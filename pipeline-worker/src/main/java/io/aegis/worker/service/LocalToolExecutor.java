package io.aegis.worker.service;

import io.aegis.events.LogStream;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs tools as child processes of the worker. Standard output and error are read by one thread
 * each, line by line, so every line is handed over as soon as the child prints it and a chatty
 * stream can never block the other.
 */
@ApplicationScoped
public class LocalToolExecutor implements ToolExecutor {

    static final int STDERR_TAIL = 10;

    @Override
    public Result run(List<String> command, Path workDir, Consumer<Line> lines, Cancellation cancellation) {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(workDir.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command.getFirst(), e);
        }
        closeInput(process);
        Deque<String> tail = new ArrayDeque<>();
        Thread out = Thread.ofVirtual().name(command.getFirst() + "-stdout")
                .start(() -> pump(process.getInputStream(), LogStream.STDOUT, lines, null));
        Thread err = Thread.ofVirtual().name(command.getFirst() + "-stderr")
                .start(() -> pump(process.getErrorStream(), LogStream.STDERR, lines, tail));
        try (Cancellation.Registration ignored = cancellation.onCancel(() -> destroyTree(process))) {
            int exit = process.waitFor();
            out.join();
            err.join();
            synchronized (tail) {
                return new Result(exit, String.join("\n", tail));
            }
        } catch (InterruptedException e) {
            destroyTree(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command.getFirst(), e);
        }
    }

    /** Children first, so none of them is left running under a new parent. */
    static void destroyTree(ProcessHandle process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void destroyTree(Process process) {
        destroyTree(process.toHandle());
    }

    private static void pump(InputStream input, LogStream stream, Consumer<Line> lines, Deque<String> tail) {
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
                try {
                    lines.accept(new Line(stream, line));
                } catch (RuntimeException e) {
                    // keep draining: a reader that stops would leave the child blocked on a full pipe
                    Log.warnf("A line of %s was not handed over: %s", stream.wire(), e.getMessage());
                }
            }
        } catch (IOException ended) {
            // the process was killed: its streams close under the reader
        }
    }

    private static void closeInput(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the child reads nothing from us anyway
        }
    }
}
