package io.aegis.worker.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What a worker keeps beside each scratch folder it makes ({@code <folder>.processes}): which worker
 * process made it, on which host, and every tool process it started there, so that the next worker
 * to start on the host can clean up after one that was killed ({@code kill -9} leaves no chance to
 * do it then). A process is named by its number and its start time: numbers are reused, the pair is
 * not, so a process that merely got a recorded number is never taken for a recorded one.
 *
 * <p>One line per process: {@code owner <host> <pid> <start>}, then {@code tool <pid> <start>} for
 * each tool, the start as an ISO-8601 instant.
 *
 * @param host  the host name of the worker that made the folder
 * @param owner the worker's own process
 * @param tools the tools it started for the folder, in order
 */
public record ScratchRecord(String host, ProcessId owner, List<ProcessId> tools) {

    /** A file name's ending that marks a record; the folder is the name without it. */
    public static final String SUFFIX = ".processes";

    /** One process, for as long as it lives: its number and when it started. */
    public record ProcessId(long pid, Instant started) {

        public ProcessId {
            Objects.requireNonNull(started, "started");
        }
    }

    public ScratchRecord {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(owner, "owner");
        tools = List.copyOf(tools);
    }

    public static String ownerLine(String host, ProcessId owner) {
        if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a host name without blanks is needed: '" + host + "'");
        }
        return "owner " + host + " " + owner.pid() + " " + owner.started();
    }

    public static String toolLine(ProcessId tool) {
        return "tool " + tool.pid() + " " + tool.started();
    }

    /**
     * Reads a record's lines.
     *
     * @throws IllegalArgumentException when the first line names no owner or a line is not one of
     *                                  the two kinds (a torn last line, written as a worker died, is
     *                                  left out)
     */
    public static ScratchRecord parse(List<String> lines) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("an empty record");
        }
        String[] owner = lines.getFirst().split(" ");
        if (owner.length != 4 || !owner[0].equals("owner")) {
            throw new IllegalArgumentException("no owner in '" + lines.getFirst() + "'");
        }
        List<ProcessId> tools = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            String[] tool = line.split(" ");
            boolean last = i == lines.size() - 1;
            try {
                if (tool.length != 3 || !tool[0].equals("tool")) {
                    throw new IllegalArgumentException("not a tool line: '" + line + "'");
                }
                tools.add(process(tool[1], tool[2]));
            } catch (RuntimeException torn) {
                if (!last) {
                    throw torn;
                }
            }
        }
        return new ScratchRecord(owner[1], process(owner[2], owner[3]), tools);
    }

    /**
     * True when the worker that wrote this record ran on {@code host} and runs no more: its folder
     * and the tools it left are for a new worker there to remove. A record of another host is never
     * this worker's to judge, since its process numbers mean nothing here (replicas may share the
     * scratch folder through the store).
     *
     * @param running whether a process still runs, as the same process (number and start time)
     */
    public boolean leftBehindOn(String host, Predicate<ProcessId> running) {
        return this.host.equals(host) && !running.test(owner);
    }

    private static ProcessId process(String pid, String started) {
        return new ProcessId(Long.parseLong(pid), Instant.parse(started));
    }
}
