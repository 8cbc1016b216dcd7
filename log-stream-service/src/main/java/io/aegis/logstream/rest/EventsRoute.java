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
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.impl.ContextInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;

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

    private void stream(RoutingContext context, Context connection, JobStreams.Pull stream, String slot) {
        HttpServerResponse response = context.response();
        if (response.closed()) {
            stream.close();
            slots.release(slot);
            return;
        }
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        new Writer(response, (ContextInternal) connection, stream, () -> slots.release(slot)).start();
    }

    /**
     * Writes each chunk on the connection's own thread, pulling the next only once the connection
     * has room for it; ends the response at the end of the stream and lets go of the stream (and the
     * slot) once, whichever comes first: the end, a failure or the client leaving.
     */
    private static final class Writer implements JobStreams.Sink {

        private final HttpServerResponse response;
        private final ContextInternal connection;
        private final JobStreams.Pull stream;
        private final Runnable released;
        private boolean done;

        Writer(HttpServerResponse response, ContextInternal connection, JobStreams.Pull stream, Runnable released) {
            this.response = response;
            this.connection = connection;
            this.stream = stream;
            this.released = released;
        }

        void start() {
            response.closeHandler(closed -> release());
            stream.next(this);
        }

        @Override
        public void chunk(String chunk) {
            if (connection.inThread()) {
                write(chunk, null);
            } else {
                connection.runOnContext(nothing -> write(chunk, null));
            }
        }

        @Override
        public void failed(Throwable failure) {
            connection.runOnContext(nothing -> write(null, failure));
        }

        private void write(String chunk, Throwable failure) {
            if (done) {
                return;
            }
            if (failure != null) {
                Log.warnf("A stream ended by %s", failure.toString());
            }
            if (failure != null || chunk == null || response.closed()) {
                if (!response.ended() && !response.closed()) {
                    response.end();
                }
                release();
                return;
            }
            if (!chunk.isEmpty()) {
                response.write(chunk);
            }
            if (response.writeQueueFull()) {
                response.drainHandler(room -> {
                    response.drainHandler(null);
                    stream.next(this);
                });
            } else {
                stream.next(this);
            }
        }

        private void release() {
            if (!done) {
                done = true;
                stream.close();
                released.run();
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
