package io.aegis.worker.service;

import io.aegis.worker.domain.ScratchRecord;
import io.aegis.worker.domain.ScratchRecord.ProcessId;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The records kept beside scratch folders ({@link ScratchRecord}) and the clean-up they allow. A
 * folder's record is written before the folder is made and removed after the folder is, so a
 * folder never exists without one. At start a worker reaps what an earlier worker on its host left
 * when it was killed: the tools still running (each with everything it started) and the folders.
 */
final class ScratchRecords {

    private static final Object APPEND = new Object();
    private static final String HOST = hostName();

    private ScratchRecords() {
    }

    /** The record of a scratch (or tool work) folder: a file beside it. */
    static Path recordOf(Path folder) {
        Path absolute = folder.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + ScratchRecord.SUFFIX);
    }

    /** Records this worker process as the maker of {@code folder}, before the folder is made. */
    static void claim(Path folder) throws IOException {
        Optional<ProcessId> self = id(ProcessHandle.current());
        if (self.isEmpty()) {
            // a system that does not tell when a process started: nothing can be reaped safely there
            Log.debugf("No record for %s: this system does not tell when a process started", folder);
            return;
        }
        claim(folder, self.get());
    }

    /** As {@link #claim(Path)}, naming another process as the maker: a test's stand-in for a killed worker. */
    static void claim(Path folder, ProcessId owner) throws IOException {
        Path record = recordOf(folder);
        Files.createDirectories(record.getParent());
        synchronized (APPEND) {
            Files.writeString(record, ScratchRecord.ownerLine(HOST, owner) + "\n", StandardCharsets.UTF_8);
        }
    }

    /**
     * Adds a tool started in {@code workDir} to the folder's record. A folder nobody claimed (a tool
     * run outside a job's scratch) has none and gets none.
     *
     * @return true when the tool was recorded
     */
    static boolean addTool(Path workDir, ProcessHandle tool) throws IOException {
        Optional<ProcessId> id = id(tool);
        Path record = recordOf(workDir);
        if (id.isEmpty() || !Files.exists(record)) {
            return false;
        }
        synchronized (APPEND) {
            Files.writeString(record, ScratchRecord.toolLine(id.get()) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        }
        return true;
    }

    /** Removes the folder's record, once the folder is gone. */
    static void release(Path folder) {
        FileTrees.deleteQuietly(recordOf(folder));
    }

    /**
     * Kills what workers of this host that no longer run left in {@code root} and removes their
     * folders; records of running workers, or of other hosts, are left alone.
     *
     * @return the folders removed
     */
    static int reap(Path root) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        List<Path> records;
        try (Stream<Path> files = Files.list(root)) {
            records = files.filter(p -> p.getFileName().toString().endsWith(ScratchRecord.SUFFIX)).toList();
        } catch (IOException e) {
            Log.warnf("Cannot look for leftovers in %s: %s", root, e.getMessage());
            return 0;
        }
        int removed = 0;
        for (Path record : records) {
            if (reapOne(record)) {
                removed++;
            }
        }
        return removed;
    }

    private static boolean reapOne(Path record) {
        ScratchRecord left;
        try {
            left = ScratchRecord.parse(Files.readAllLines(record, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            Log.warnf("Cannot read %s, leaving it: %s", record, e.getMessage());
            return false;
        }
        if (!left.leftBehindOn(HOST, ScratchRecords::running)) {
            return false;
        }
        for (ProcessId tool : left.tools()) {
            live(tool).ifPresent(process -> {
                Log.infof("Stopping %s (pid %d), left running by a worker that stopped", process.info().command()
                        .orElse("a tool"), process.pid());
                LocalToolExecutor.destroyTree(process);
                awaitExit(process);
            });
        }
        String name = record.getFileName().toString();
        Path folder = record.resolveSibling(name.substring(0, name.length() - ScratchRecord.SUFFIX.length()));
        try {
            FileTrees.delete(folder);
        } catch (IOException e) {
            Log.warnf("Cannot remove the leftover scratch %s: %s", folder, e.getMessage());
            return false;
        }
        FileTrees.deleteQuietly(record);
        Log.infof("Removed %s, left by worker process %d that stopped", folder, left.owner().pid());
        return true;
    }

    /** The process, if the one recorded still runs (same number, same start). */
    static Optional<ProcessHandle> live(ProcessId id) {
        return ProcessHandle.of(id.pid()).filter(p -> id(p).filter(id::equals).isPresent());
    }

    private static boolean running(ProcessId id) {
        return live(id).isPresent();
    }

    static Optional<ProcessId> id(ProcessHandle process) {
        return process.info().startInstant().map(start -> new ProcessId(process.pid(), start));
    }

    private static void awaitExit(ProcessHandle process) {
        try {
            process.onExit().get(5, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            Log.warnf("Process %d did not exit within 5 s of being killed", process.pid());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("\\s", "_");
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
