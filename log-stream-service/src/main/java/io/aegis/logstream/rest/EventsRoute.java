package io.aegis.logstream.rest;

import io.aegis.events.AegisHeaders;
import io.aegis.events.EventJson;
import io.aegis.events.Problem;
import io.aegis.events.ProblemException;
import io.aegis.logstream.domain.SseFormat;
import io.aegis.logstream.domain.StreamEvent;
import io.aegis.logstream.service.JobStreams;
import io.aegis.web.Callers;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /api/v1/jobs/{id}/events}: a job's live events as Server-Sent Events, behind the
 * gateway (caller in {@link AegisHeaders#USER}). The snapshot is fetched before the response
 * starts, so an unknown job or another user's job is a plain 404 problem, not a broken stream.
 */
@ApplicationScoped
public class EventsRoute {

    private final JobStreams streams;

    public EventsRoute(JobStreams streams) {
        this.streams = streams;
    }

    void register(@Observes Router router) {
        router.get("/api/v1/jobs/:id/events").handler(this::events);
    }

    private void events(RoutingContext context) {
        String user;
        UUID jobId;
        try {
            user = Callers.user(context.request().getHeader(AegisHeaders.USER));
            jobId = Callers.jobId(context.pathParam("id"));
        } catch (ProblemException e) {
            problem(context, e.problem());
            return;
        }
        String lastEventId = context.request().getHeader("Last-Event-ID");
        streams.snapshot(user, jobId).subscribe().with(
                snapshot -> stream(context, streams.follow(jobId, snapshot, lastEventId)),
                failure -> problem(context, failure instanceof ProblemException p ? p.problem()
                        : Problem.of(502, "UPSTREAM_ERROR", "Job service unavailable", "The job could not be read.")));
    }

    private static void stream(RoutingContext context, io.smallrye.mutiny.Multi<List<StreamEvent>> events) {
        HttpServerResponse response = context.response()
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        response.write(SseFormat.retry(3000));
        Cancellable subscription = events.subscribe().with(
                batch -> response.write(batch.isEmpty() ? SseFormat.KEEPALIVE : frames(batch)),
                failure -> {
                    Log.warnf("Stream of %s ended by %s", context.pathParam("id"), failure.toString());
                    end(response);
                },
                () -> end(response));
        response.closeHandler(closed -> subscription.cancel());
    }

    private static String frames(List<StreamEvent> batch) {
        StringBuilder out = new StringBuilder();
        batch.forEach(event -> out.append(SseFormat.frame(event)));
        return out.toString();
    }

    private static void end(HttpServerResponse response) {
        if (!response.ended() && !response.closed()) {
            response.end();
        }
    }

    private static void problem(RoutingContext context, Problem problem) {
        context.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(EventJson.encodeToString(problem));
    }
}
