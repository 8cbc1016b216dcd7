package io.aegis.logstream.rest;

import io.aegis.events.AegisHeaders;
import io.aegis.events.EventJson;
import io.aegis.events.Problem;
import io.aegis.events.ProblemException;
import io.aegis.logstream.service.JobStreams;
import io.aegis.logstream.service.StreamSlots;
import io.aegis.logstream.service.Tickets;
import io.aegis.web.Callers;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiSubscriber;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.impl.ContextInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import java.util.concurrent.Flow;

/**
 * {@code GET /api/v1/jobs/{id}/events}: a job's live events as Server-Sent Events, behind the
 * gateway. The caller is the user in {@link AegisHeaders#USER} (a bearer token the gateway checked)
 * or the owner of a single-use {@code ticket} (a browser's EventSource). Before the response starts
 * the caller gets one of its stream slots and the job's snapshot, so a refusal is a plain problem,
 * not a broken stream. The stream is written as fast as the client reads it and no faster.
 */
@ApplicationScoped
public class EventsRoute {

    private final JobStreams streams;
    private final Tickets tickets;
    private final StreamSlots slots;

    public EventsRoute(JobStreams streams, Tickets tickets, StreamSlots slots) {
        this.streams = streams;
        this.tickets = tickets;
        this.slots = slots;
    }

    void register(@Observes Router router) {
        router.get("/api/v1/jobs/:id/events").handler(this::events);
    }

    private void events(RoutingContext context) {
        Context connection = Vertx.currentContext();
        UUID jobId;
        String header = context.request().getHeader(AegisHeaders.USER);
        String ticket = context.request().getParam("ticket");
        try {
            jobId = Callers.jobId(context.pathParam("id"));
            if (ticket == null) {
                Callers.user(header);
            }
        } catch (ProblemException e) {
            problem(context, e.problem());
            return;
        }
        String lastEventId = context.request().getHeader("Last-Event-ID");
        if (lastEventId == null) {
            lastEventId = context.request().getParam("lastEventId");
        }
        String cursor = lastEventId;
        Uni<String> caller = ticket == null ? Uni.createFrom().item(header) : tickets.redeem(ticket, jobId, header);
        caller.chain(user -> slots.take(user).map(slot -> {
                    if (slot == null) {
                        throw new ProblemException(tooManyStreams(jobId));
                    }
                    return slot;
                }).chain(slot -> streams.snapshot(user, jobId)
                        .onFailure().invoke(() -> slots.release(slot))
                        .map(snapshot -> new Opened(slot, snapshot))))
                .subscribe().with(
                        opened -> stream(context, connection, streams.follow(jobId, opened.snapshot(), cursor,
                                ((ContextInternal) connection).nettyEventLoop()), opened.slot()),
                        failure -> problem(context, failure instanceof ProblemException p ? p.problem()
                                : Problem.of(503, "SERVICE_UNAVAILABLE", "Service unavailable",
                                        "The stream could not be opened; try again shortly.")));
    }

    private record Opened(String slot, com.fasterxml.jackson.databind.JsonNode snapshot) {
    }

    static Problem tooManyStreams(UUID jobId) {
        String poll = "/api/v1/jobs/" + jobId;
        return Problem.of(429, "TOO_MANY_STREAMS", "Too many streams",
                "You have as many event streams open as allowed; close one, or poll GET " + poll + " instead.")
                .withPoll(poll);
    }

    private void stream(RoutingContext context, Context connection, Multi<String> chunks, String slot) {
        HttpServerResponse response = context.response();
        if (response.closed()) {
            slots.release(slot);
            return;
        }
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        chunks.emitOn(task -> connection.runOnContext(nothing -> task.run()))
                .onTermination().invoke(() -> slots.release(slot))
                .subscribe().withSubscriber(new Writer(response));
    }

    /** Writes each chunk, asking for the next only once the connection has room for it. */
    private static final class Writer implements MultiSubscriber<String> {

        private final HttpServerResponse response;
        private Flow.Subscription subscription;

        Writer(HttpServerResponse response) {
            this.response = response;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            response.closeHandler(closed -> s.cancel());
            s.request(1);
        }

        @Override
        public void onItem(String chunk) {
            if (response.closed()) {
                subscription.cancel();
                return;
            }
            if (!chunk.isEmpty()) {
                response.write(chunk);
            }
            if (response.writeQueueFull()) {
                response.drainHandler(room -> subscription.request(1));
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onFailure(Throwable failure) {
            Log.warnf("A stream ended by %s", failure.toString());
            end();
        }

        @Override
        public void onCompletion() {
            end();
        }

        private void end() {
            if (!response.ended() && !response.closed()) {
                response.end();
            }
        }
    }

    private static void problem(RoutingContext context, Problem problem) {
        HttpServerResponse response = context.response();
        if (response.closed() || response.headWritten()) {
            return;
        }
        response.setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (problem.status() == 429) {
            response.putHeader("Retry-After", "30");
        }
        response.end(EventJson.encodeToString(problem));
    }
}
