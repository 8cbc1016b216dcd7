package io.aegis.logstream.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.aegis.contracts.http.AegisHeaders;
import io.aegis.contracts.problem.Problem;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.logstream.service.JobStreams;
import io.aegis.logstream.service.StreamSlots;
import io.aegis.logstream.service.Tickets;
import io.aegis.web.Callers;
import io.aegis.web.RouteProblems;
import io.quarkus.logging.Log;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * {@code GET /api/v1/jobs/{id}/events}: a job's live events as Server-Sent Events, behind the
 * gateway. The caller is the user in {@link AegisHeaders#USER} (a bearer token the gateway checked)
 * or the owner of a single-use {@code ticket} (a browser's EventSource). Before the response starts
 * the caller gets one of its stream slots and the job's snapshot, so a refusal is a plain problem,
 * not a broken stream. The stream is written as fast as the client reads it and no faster.
 */
@ApplicationScoped
public class EventsRoute {

    /** When a client refused for the number of its streams is told to try again ({@code Retry-After}). */
    private static final Duration STREAM_RETRY = Duration.ofSeconds(30);

    private final JobStreams streams;
    private final Tickets tickets;
    private final StreamSlots slots;
    /** Per event loop, the one executor every stream on it names to the hub (see {@link #loop(Connection)}). */
    private final Map<Context, Executor> loops = new ConcurrentHashMap<>();

    public EventsRoute(JobStreams streams, Tickets tickets, StreamSlots slots) {
        this.streams = streams;
        this.tickets = tickets;
        this.slots = slots;
    }

    void register(@Observes Router router) {
        router.get("/api/v1/jobs/:id/events").handler(this::events);
    }

    private void events(RoutingContext context) {
        Connection connection = new Connection(Vertx.currentContext(), Thread.currentThread());
        UUID jobId;
        String header = context.request().getHeader(AegisHeaders.USER);
        String ticket = context.request().getParam("ticket");
        try {
            jobId = Callers.jobId(context.pathParam("id"));
            if (ticket == null) {
                Callers.user(header);
            }
        } catch (ProblemException e) {
            RouteProblems.sendUnlessAnswered(context.response(), e);
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
                        throw new ProblemException(tooManyStreams(jobId)).retryAfter(STREAM_RETRY);
                    }
                    return slot;
                }).chain(slot -> streams.snapshot(user, jobId)
                        .onFailure().invoke(() -> slots.release(slot))
                        .map(snapshot -> new Opened(slot, snapshot))))
                .subscribe().with(
                        opened -> stream(context, connection, streams.follow(jobId, opened.snapshot(), cursor,
                                loop(connection)), opened.slot()),
                        failure -> RouteProblems.sendUnlessAnswered(context.response(),
                                failure instanceof ProblemException p ? p : new ProblemException(503,
                                        "SERVICE_UNAVAILABLE", "Service unavailable",
                                        "The stream could not be opened; try again shortly.")));
    }

    private record Opened(String slot, JsonNode snapshot) {
    }

    /**
     * The event loop a request came in on, which writes its connection for as long as it lives
     * (Vert.x binds a connection to one loop). Vert.x gives each request a context of its own, a
     * duplicate of its loop's.
     *
     * @param request the request's context: where the writer runs what it is handed from elsewhere
     * @param thread  the loop's thread: a chunk pulled there is written at once, with no hand-over
     */
    private record Connection(Context request, Thread thread) {

        boolean isCurrent() {
            return Thread.currentThread() == thread;
        }

        void run(Runnable task) {
            request.runOnContext(nothing -> task.run());
        }
    }

    /**
     * Where the hub hands live events to this connection's stream: one executor per event loop,
     * shared by every stream on it, so that {@code Deliveries} takes everything waiting for a loop
     * over in one task (tens of thousands of readers on a handful of loops) rather than one per
     * reader. It runs on the loop's own context, not on a request's (which lives as long as its
     * request), and there are as many as the HTTP server has loops.
     */
    private Executor loop(Connection connection) {
        return loops.computeIfAbsent(VertxContext.getRootContext(connection.request()),
                loop -> task -> loop.runOnContext(nothing -> task.run()));
    }

    static Problem tooManyStreams(UUID jobId) {
        String poll = "/api/v1/jobs/" + jobId;
        return Problem.of(429, "TOO_MANY_STREAMS", "Too many streams",
                "You have as many event streams open as allowed; close one, or poll GET " + poll + " instead.")
                .withPoll(poll);
    }

    private void stream(RoutingContext context, Connection connection, JobStreams.Pull stream, String slot) {
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
        new Writer(response, connection, stream, () -> slots.release(slot)).start();
    }

    /**
     * Writes each chunk on the connection's own thread, pulling the next only once the connection
     * has room for it; ends the response at the end of the stream and lets go of the stream (and the
     * slot) once, whichever comes first: the end, a failure or the client leaving. A live chunk comes
     * from the hub's task on the same loop and is written at once, with no hand-over of its own: the
     * path every event takes to every reader stays this short (why: {@link JobStreams#follow}).
     */
    private static final class Writer implements JobStreams.Sink {

        private final HttpServerResponse response;
        private final Connection connection;
        private final JobStreams.Pull stream;
        private final Runnable released;
        private boolean done;

        Writer(HttpServerResponse response, Connection connection, JobStreams.Pull stream, Runnable released) {
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
            if (connection.isCurrent()) {
                write(chunk, null);
            } else {
                connection.run(() -> write(chunk, null));
            }
        }

        @Override
        public void failed(Throwable failure) {
            connection.run(() -> write(null, failure));
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
}
