package io.aegis.logstream.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.events.EventJson;
import io.aegis.events.JobStatus;
import io.aegis.events.ProblemException;
import io.aegis.logstream.client.JobServiceClient;
import io.aegis.logstream.config.LogStreamConfig;
import io.aegis.logstream.domain.StreamEvent;
import io.aegis.logstream.domain.StreamIds;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The source of a job's stream: a snapshot of the job, then every buffered event after the
 * client's cursor, then live events as they are buffered, up to and including one terminal event.
 * An empty list stands for a quiet interval (the resource turns it into a keepalive comment).
 */
@ApplicationScoped
public class JobStreams {

    private static final ObjectMapper JSON = EventJson.mapper();

    private final JobServiceClient jobService;
    private final EventLog log;
    private final JobSignals signals;
    private final LogStreamConfig config;

    public JobStreams(@RestClient JobServiceClient jobService, EventLog log, JobSignals signals, LogStreamConfig config) {
        this.jobService = jobService;
        this.log = log;
        this.signals = signals;
        this.config = config;
    }

    /** The stream after its snapshot: every buffered event after the client's cursor, then live ones. */
    public Multi<List<StreamEvent>> follow(UUID jobId, JsonNode snapshot, String lastEventId) {
        String cursor = lastEventId != null && StreamIds.isValid(lastEventId) ? lastEventId : StreamIds.START;
        StreamEvent first = new StreamEvent(cursor, StreamEvent.SNAPSHOT, snapshot.toString());
        JobStatus status = JobStatus.valueOf(snapshot.path("status").asText("QUEUED"));
        Multi<List<StreamEvent>> rest = status.isTerminal() ? finished(jobId, status, snapshot) : live(jobId, cursor);
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(List.of(first)), rest);
    }

    /** A job that ended before the stream opened: its terminal event at once. */
    private Multi<List<StreamEvent>> finished(UUID jobId, JobStatus status, JsonNode snapshot) {
        String type = status.name().toLowerCase(Locale.ROOT);
        return log.after(jobId, StreamIds.START)
                .map(events -> events.stream().filter(StreamEvent::isTerminal).findFirst()
                        .orElse(new StreamEvent("0-1", type, snapshot.toString())))
                .map(List::of)
                .toMulti();
    }

    private Multi<List<StreamEvent>> live(UUID jobId, String start) {
        AtomicReference<String> cursor = new AtomicReference<>(start);
        AtomicBoolean ended = new AtomicBoolean();
        AtomicBoolean first = new AtomicBoolean(true);
        JobSignals.Listener listener = signals.listen(jobId);
        return Multi.createBy().repeating()
                .uni(() -> (first.getAndSet(false) ? Uni.createFrom().item(true) : listener.next(config.keepalive()))
                        .chain(() -> log.after(jobId, cursor.get()))
                        .map(events -> upToTerminal(events, cursor, ended)))
                .whilst(events -> !ended.get())
                .onTermination().invoke(listener::close);
    }

    private static List<StreamEvent> upToTerminal(List<StreamEvent> events, AtomicReference<String> cursor,
                                                  AtomicBoolean ended) {
        List<StreamEvent> out = new ArrayList<>();
        for (StreamEvent event : events) {
            out.add(event);
            cursor.set(event.id());
            if (event.isTerminal()) {
                ended.set(true);
                break;
            }
        }
        return out;
    }

    /** The job as job-service shows it to this user; fails with a 404 problem for another user's job. */
    public Uni<JsonNode> snapshot(String user, UUID jobId) {
        return jobService.job(user, jobId.toString())
                .onFailure(jakarta.ws.rs.WebApplicationException.class)
                .recoverWithItem(e -> ((jakarta.ws.rs.WebApplicationException) e).getResponse())
                .map(response -> {
                    if (response.getStatus() == 404) {
                        throw new ProblemException(404, "JOB_NOT_FOUND", "Job not found", "There is no job " + jobId + ".");
                    }
                    if (response.getStatus() != 200) {
                        throw new ProblemException(502, "UPSTREAM_ERROR", "Job service error",
                                "The job service answered " + response.getStatus() + ".");
                    }
                    try {
                        return JSON.readTree(response.readEntity(String.class));
                    } catch (java.io.IOException e) {
                        throw new ProblemException(502, "UPSTREAM_ERROR", "Job service error", "Unreadable job.");
                    }
                });
    }
}
