package io.aegis.artifact.service;

import io.aegis.artifact.config.StoreConfig;
import io.aegis.events.JobLogEvent;
import io.aegis.events.StoreLayout;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Keeps every log line of a job as it arrives, in {@code jobs/<id>/logs/spool.tsv}, for the log
 * chunks its finalization builds. One line per event, in arrival order (redeliveries included; the
 * chunks drop them): {@code attempt \t seq \t at \t stream \t source \t step \t line}.
 */
@ApplicationScoped
public class LogSpool {

    public static final String FILE = "spool.tsv";

    private final StoreLayout store;
    private final Vertx vertx;

    public LogSpool(StoreConfig config, Vertx vertx) {
        this.store = new StoreLayout(config.root());
        this.vertx = vertx;
    }

    public Path file(UUID jobId) {
        return store.logs(jobId).resolve(FILE);
    }

    /** Appends a batch of events, one write per job, off the event loop. */
    public Uni<Void> append(List<JobLogEvent> events) {
        Map<UUID, List<JobLogEvent>> byJob = new LinkedHashMap<>();
        for (JobLogEvent event : events) {
            if (event != null && event.jobId() != null) {
                byJob.computeIfAbsent(event.jobId(), id -> new ArrayList<>()).add(event);
            }
        }
        if (byJob.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            byJob.forEach((jobId, lines) -> {
                try {
                    write(jobId, lines);
                } catch (UncheckedIOException e) {
                    // one job's folder failing must not hold up every other job's lines
                    Log.errorf(e, "%d log lines of job %s were not spooled", lines.size(), jobId);
                }
            });
            return null;
        }), false).replaceWithVoid();
    }

    private void write(UUID jobId, List<JobLogEvent> events) {
        StringBuilder lines = new StringBuilder(events.size() * 96);
        for (JobLogEvent event : events) {
            lines.append(event.attempt()).append('\t')
                    .append(event.seq()).append('\t')
                    .append(event.at() == null ? "" : event.at().toString()).append('\t')
                    .append(event.stream() == null ? "" : event.stream().wire()).append('\t');
            field(lines, event.source()).append('\t');
            field(lines, event.step()).append('\t');
            text(lines, event.line()).append('\n');
        }
        Path file = file(jobId);
        try {
            Files.createDirectories(file.getParent());
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                out.append(lines);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to the log spool of job " + jobId, e);
        }
    }

    /** The log line itself, last on the spool line: tabs stay, a line break cannot (the worker's sanitizer removes them). */
    private static StringBuilder text(StringBuilder lines, String value) {
        if (value == null) {
            return lines;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            lines.append(c == '\n' || c == '\r' ? ' ' : c);
        }
        return lines;
    }

    /** A field before the log line: nothing in it can shift the fields after it. */
    private static StringBuilder field(StringBuilder lines, String value) {
        if (value == null) {
            return lines;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            lines.append(c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
        }
        return lines;
    }
}
