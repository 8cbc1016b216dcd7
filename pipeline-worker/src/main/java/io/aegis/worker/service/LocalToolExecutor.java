package io.aegis.worker.service;

import io.aegis.events.LogStream;
import io.aegis.worker.domain.ToolEnvironment;
import io.aegis.worker.metrics.ToolCpu;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs tools as child processes of the worker. Each tool leads a process session of its own
 * ({@code setsid}), so a cancel or a timeout kills it and everything it started, even children
 * that outlived their parent. Its C standard streams are line-buffered ({@code stdbuf}), so a
 * line reaches the job's log when it is printed, not when a 4 KB block fills. Standard output
 * and error are read by one thread each, line by line, so a chatty stream never blocks the other.
 *
 * <p>A job's tool is noted, by its process number and start time, in the record beside its scratch
 * folder ({@link ScratchRecords}) as it starts: a worker killed outright runs no clean-up, and the
 * next one on the host stops what it left from that record. An orderly shutdown kills every tool.
 */
@ApplicationScoped
@Typed(LocalToolExecutor.class)
public class LocalToolExecutor implements ToolExecutor {

    static final int STDERR_TAIL = 10;

    private static final Optional<Path> SETSID = onPath("setsid");
    private static final Optional<Path> STDBUF = onPath("stdbuf");

    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private final ToolCpu cpu;

    /** An executor whose tools' CPU time is not counted (the tests'). */
    public LocalToolExecutor() {
        this(null);
    }

    @Inject
    public LocalToolExecutor(ToolCpu cpu) {
        this.cpu = cpu;
    }

    @Override
    public Result run(Task task, Consumer<Line> lines, Cancellation cancellation) {
        Path program = onPath(task.program()).orElseThrow(() -> new UncheckedIOException(
                new IOException("Cannot start " + task.program() + ": not found on the PATH")));
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(wrapped(program, task.command())).directory(task.workDir().toFile());
            // the worker's secrets stay with the worker: the tool gets what it needs to run, no more
            Map<String, String> environment = builder.environment();
            Map<String, String> kept = ToolEnvironment.of(environment);
            environment.clear();
            environment.putAll(kept);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + task.program(), e);
        }
        running.add(process);
        try (ToolCpu.Followed ignored = cpu == null ? () -> { } : cpu.follow(task, process.toHandle())) {
            return supervise(task, process, lines, cancellation);
        } finally {
            running.remove(process);
        }
    }

    private Result supervise(Task task, Process process, Consumer<Line> lines, Cancellation cancellation) {
        record(task, process);
        closeInput(process);
        Deque<String> tail = new ArrayDeque<>();
        // registered before any line is read: a cancel that a line provokes must find the tool
        try (Cancellation.Registration ignored = cancellation.onCancel(() -> destroyTree(process))) {
            Thread out = Thread.ofVirtual().name(task.program() + "-stdout")
                    .start(() -> pump(process.getInputStream(), LogStream.STDOUT, lines, null));
            Thread err = Thread.ofVirtual().name(task.program() + "-stderr")
                    .start(() -> pump(process.getErrorStream(), LogStream.STDERR, lines, tail));
            boolean timedOut = !process.waitFor(task.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (timedOut) {
                destroyTree(process);
            }
            int exit = process.waitFor();
            out.join();
            err.join();
            synchronized (tail) {
                return new Result(exit, String.join("\n", tail), timedOut);
            }
        } catch (InterruptedException e) {
            destroyTree(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + task.program(), e);
        }
    }

    /**
     * Notes a tool in the record beside its scratch folder (one a job runner claimed), so that a
     * worker starting after this one was killed finds and stops it ({@link ScratchRecords#reap}).
     */
    private static void record(Task task, Process process) {
        try {
            ScratchRecords.addTool(task.workDir(), process.toHandle());
        } catch (IOException | RuntimeException e) {
            Log.warnf("Cannot record %s (pid %d) beside %s: %s", task.program(), process.pid(), task.workDir(),
                    e.getMessage());
        }
    }

    /**
     * The worker is going away: every tool still running is killed with what it started, whatever
     * its job, so no tool outlives an orderly shutdown.
     */
    void onStop(@Observes ShutdownEvent stop) {
        stopAll();
    }

    @PreDestroy
    void stopAll() {
        for (Process process : running) {
            Log.infof("Stopping %s (pid %d): the worker is shutting down",
                    process.info().command().orElse("a tool"), process.pid());
            destroyTree(process);
        }
    }

    /** {@code setsid stdbuf -oL -eL <program> <args>}, with whichever of the two wrappers this host has. */
    private static List<String> wrapped(Path program, List<String> command) {
        List<String> full = new ArrayList<>();
        SETSID.ifPresent(setsid -> full.add(setsid.toString()));
        STDBUF.ifPresent(stdbuf -> full.addAll(List.of(stdbuf.toString(), "-oL", "-eL")));
        full.add(program.toString());
        full.addAll(command.subList(1, command.size()));
        return full;
    }

    /**
     * Kills the tool's whole session (its process group, when it leads one), then any descendant
     * that left it. Nothing it started is left running under a new parent.
     */
    static void destroyTree(ProcessHandle process) {
        if (SETSID.isPresent()) {
            killGroup(process.pid());
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void destroyTree(Process process) {
        destroyTree(process.toHandle());
    }

    private static void killGroup(long leader) {
        try {
            new ProcessBuilder("kill", "-KILL", "--", "-" + leader).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            Log.warnf("Cannot signal process group %d: %s", leader, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The executable a bare program name stands for, as a shell would find it; a path is taken as it is. */
    static Optional<Path> onPath(String program) {
        if (program.contains(File.separator)) {
            Path path = Path.of(program);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
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
