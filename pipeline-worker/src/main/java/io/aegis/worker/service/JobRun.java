package io.aegis.worker.service;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** One running attempt: the processes it started, so a cancel can kill them all with their children. */
final class JobRun {

    static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("Cancelled", null, false, false);
        }
    }

    final UUID jobId;
    final int attempt;
    private final Set<Process> processes = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;

    JobRun(UUID jobId, int attempt) {
        this.jobId = jobId;
        this.attempt = attempt;
    }

    void track(Process process) {
        processes.add(process);
        process.onExit().thenRun(() -> processes.remove(process));
        if (cancelled) {
            cancelProcesses();
        }
    }

    void cancel() {
        cancelled = true;
        cancelProcesses();
    }

    boolean isCancelled() {
        return cancelled;
    }

    void checkNotCancelled() {
        if (cancelled) {
            throw new Cancelled();
        }
    }

    /** Kills every process of this run and all their descendants. */
    void cancelProcesses() {
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
