package io.aegis.logstream.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.events.EventJson;
import io.aegis.events.JobStatus;
import io.aegis.logstream.client.JobServiceClient;
import io.aegis.logstream.config.LogStreamConfig;
import io.aegis.logstream.domain.Attempts;
import io.aegis.logstream.domain.Outbox;
import io.aegis.logstream.domain.SseFormat;
import io.aegis.logstream.domain.StreamEnd;
import io.aegis.logstream.domain.StreamEvent;
import io.aegis.logstream.domain.StreamIds;
import io.aegis.logstream.domain.Terminal;
import io.aegis.web.identity.InternalKey;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * A job's stream as SSE text: the snapshot; the buffered events after the client's cursor, read at
 * the client's pace; then live events from the job's feed through the client's own outbox; one
 * terminal event; the job's artifact events as artifact-service finalizes them; and {@code end}
 * ({@link StreamEnd}). A job that was retried runs again under the same id: the stream follows its
 * current attempt ({@link Attempts}), and the events of earlier attempts, their end among them, are
 * history it leaves out. Where events cannot be given any more a {@code gap} event says how many; a
 * quiet stream carries keepalive comments; a stream open for too long closes with a {@code retry:}
 * hint and the client resumes from its last event.
 */
@ApplicationScoped
public class JobStreams {

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final int PAGE = 500;
    private static final Duration SETTLE_POLL = Duration.ofMillis(250);
    private static final Duration REREAD = Duration.ofMillis(100);

    private final JobServiceClient jobService;
    private final InternalKey key;
    private final EventLog log;
    private final Hub hub;
    private final LogStreamConfig config;
    private final StreamMetrics metrics;
    private final Vertx vertx;
    /** Readers waiting for live events; one timer looks for those quiet long enough to need a keepalive. */
    private final Set<Reader> live = ConcurrentHashMap.newKeySet();
    private final long keepaliveTimer;

    public JobStreams(@RestClient JobServiceClient jobService, InternalKey key, EventLog log, Hub hub,
                      LogStreamConfig config, StreamMetrics metrics, Vertx vertx) {
        this.jobService = jobService;
        this.key = key;
        this.log = log;
        this.hub = hub;
        this.config = config;
        this.metrics = metrics;
        this.vertx = vertx;
        this.keepaliveTimer = vertx.setPeriodic(Math.max(1, config.keepalive().toMillis() / 4), tick -> keepalives());
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(keepaliveTimer);
    }

    /**
     * Wakes every live reader that has written nothing for a keepalive interval (it writes a
     * keepalive) or has waited for artifact events as long as it may (it ends).
     */
    private void keepalives() {
        long quietSince = System.nanoTime() - config.keepalive().toNanos();
        long now = System.currentTimeMillis();
        for (Reader reader : live) {
            if (reader.lastWrite - quietSince <= 0 || reader.endDue(now)) {
                reader.outbox.wake();
            }
        }
    }

    /** One client's stream as SSE text, pulled a chunk at a time by whoever writes its connection. */
    public interface Pull {

        /**
         * Asks for the next chunk: {@code sink} gets it once there is one, on whichever thread has
         * it (a chunk may be empty: nothing to write yet, ask again), or null once the stream has
         * ended. One ask at a time: the next only after the sink got this one.
         */
        void next(Sink sink);

        /** The client is gone or the stream ended: it leaves the job's feed. Safe to call twice. */
        void close();
    }

    /** Where a {@link Pull} puts what was asked for. */
    public interface Sink {

        void chunk(String chunk);

        void failed(Throwable failure);
    }

    /**
     * The stream after the snapshot was read. Live events go from the client's outbox to its sink
     * with nothing allocated per wait and no operator in between: at ten thousand streams, each
     * event is written ten times per job, and whatever that path costs is paid ten thousand times a
     * second.
     *
     * @param lastEventId where the client is ({@code Last-Event-ID}), or null for a new client
     * @param thread      the thread that writes the client's connection: live events are handed over there
     */
    public Pull follow(UUID jobId, JsonNode snapshot, String lastEventId, Executor thread) {
        boolean resumed = lastEventId != null && StreamIds.isValid(lastEventId);
        String cursor = resumed ? lastEventId : StreamIds.START;
        String head = SseFormat.retry(config.reconnectAfter().toMillis())
                + SseFormat.frame(new StreamEvent(cursor, StreamEvent.SNAPSHOT, snapshot.toString()));
        metrics.opened();
        return new Reader(jobId, cursor, snapshot,
                JobStatus.valueOf(snapshot.path("status").asText("QUEUED")).isTerminal(), resumed, thread, head,
                snapshot.path("attempt").asInt(Attempts.NONE));
    }

    private enum Phase { REPLAY, CATCH_UP, LIVE }

    /** One client's progress through its job's stream. */
    private final class Reader implements Pull {

        private final UUID jobId;
        private final JsonNode snapshot;
        private final boolean jobEnded;
        private final boolean resumed;
        private final Executor thread;
        private final Outbox outbox = new Outbox(config.readerBuffer(), metrics::droppedLine);
        private final long deadline = System.nanoTime() + config.maxDuration().toNanos();
        private final long settleBy = System.nanoTime() + config.terminalWait().toNanos();
        private final Runnable liveReady = this::live;
        private String head;
        private boolean started;
        private volatile Sink sink;
        private Uni<Boolean> buffered;
        private Hub.Membership membership;
        private Phase phase = Phase.REPLAY;
        private String last;
        /** The job's terminal event was given (or lies before the cursor): from here on only artifact events. */
        private volatile boolean terminalPassed;
        /** The artifact event that settles the job's finalization was given (or lies before the cursor). */
        private boolean finalized;
        /**
         * The attempt the stream follows: the snapshot's, or a later one whose events came before the
         * terminal event passed. Events of earlier attempts are left out.
         */
        private int attempt;
        /** When the stream ends whatever it still waits for (epoch millis), once the terminal event passed. */
        private volatile long endBy = Long.MAX_VALUE;
        private volatile boolean ended;
        private volatile boolean closed;
        private volatile long lastWrite = System.nanoTime();

        Reader(UUID jobId, String cursor, JsonNode snapshot, boolean jobEnded, boolean resumed, Executor thread,
               String head, int attempt) {
            this.head = head;
            this.attempt = attempt;
            this.jobId = jobId;
            this.last = cursor;
            this.snapshot = snapshot;
            this.jobEnded = jobEnded;
            this.resumed = resumed;
            this.thread = thread;
        }

        /**
         * Joins the job's feed, then, for a job that has ended, finds where its stream ends; completes
         * when replay may begin. A new client of an ended job starts at its terminal event (the events
         * before it are history the snapshot tells); a client that resumes past the terminal event, or
         * past the finalization, carries on from there. The end is that of the job's current attempt:
         * an earlier attempt's end, still in the buffer, is not where a retried job's stream ends.
         */
        private Uni<Boolean> start() {
            Uni<Boolean> joined = hub.join(jobId, outbox, thread, jobEnded).map(member -> {
                synchronized (this) {
                    if (closed) {
                        member.close();
                    } else {
                        membership = member;
                    }
                }
                return true;
            });
            if (!jobEnded) {
                return joined;
            }
            return joined.chain(() -> log.ends(jobId)).chain(ends -> {
                if (ends.terminal().filter(end -> !Attempts.isHistory(end, attempt)).isPresent()) {
                    StreamEvent terminal = ends.terminal().get();
                    if (!resumed) {
                        last = StreamIds.before(terminal.id());
                    } else if (!StreamIds.isAfter(terminal.id(), last)) {
                        passedTerminal(terminal);
                        finalized = ends.finalized().filter(id -> !StreamIds.isAfter(id, last)).isPresent();
                    }
                    return Uni.createFrom().item(true);
                }
                // the end is not in the buffer (yet): a new client waits for it from the newest event on
                return resumed ? Uni.createFrom().item(true) : log.newest(jobId).map(newest -> {
                    last = newest;
                    return true;
                });
            });
        }

        @Override
        public void next(Sink to) {
            if (ended) {
                to.chunk(null);
            } else if (head != null) {
                String first = head;
                head = null;
                to.chunk(first);
            } else if (System.nanoTime() - deadline > 0) {
                ended = true;
                to.chunk(SseFormat.retry(config.reconnectAfter().toMillis()));
            } else if (phase == Phase.LIVE) {
                sink = to;
                outbox.whenReady(liveReady);
            } else {
                Uni<String> page = started ? replay() : start().chain(ready -> replay());
                started = true;
                page.subscribe().with(to::chunk, to::failed);
            }
        }

        /**
         * The outbox has events (or was woken for a keepalive, or because the wait for artifact events
         * is over): they go to the sink waiting for them.
         */
        private void live() {
            List<StreamEvent> events = outbox.drain(PAGE);
            lastWrite = System.nanoTime();
            String out = frames(events, true) + endIfDue();
            sink.chunk(out.isEmpty() ? SseFormat.KEEPALIVE : out);
        }

        /** The next page from the job's buffer. */
        private Uni<String> replay() {
            return log.after(jobId, last, PAGE)
                    // Redis slow for a moment (a busy instant, a failover): read again rather than end the stream
                    .onFailure().retry().withBackOff(REREAD, REREAD.multipliedBy(10)).atMost(3)
                    .chain(this::replayed);
        }

        /** What a page read from the buffer gives the client, and where the reader goes from there. */
        private Uni<String> replayed(List<StreamEvent> page) {
            String out = frames(page, false);
            if (ended || page.size() == PAGE) {
                return Uni.createFrom().item(out);
            }
            if (finalized && terminalPassed) {
                // resumed past the finalization
                return Uni.createFrom().item(out + finish(true));
            }
            if (jobEnded && !terminalPassed) {
                if (!out.isEmpty()) {
                    return Uni.createFrom().item(out);
                }
                // the buffer ends without the job's end: it is on its way, or was trimmed or lost
                return terminalMayStillCome().chain(waiting -> waiting ? later()
                        : Uni.createFrom().item(frames(List.of(Terminal.fromSnapshot(snapshot, last)), false)));
            }
            out += endIfDue();
            if (ended) {
                return Uni.createFrom().item(out);
            }
            phase = phase == Phase.REPLAY ? Phase.CATCH_UP : Phase.LIVE;
            if (phase == Phase.CATCH_UP) {
                outbox.open();
            } else {
                outbox.passed(last);
                synchronized (this) {
                    if (!closed) {
                        live.add(this);
                    }
                }
            }
            return Uni.createFrom().item(out);
        }

        /**
         * Whether the terminal event of a job that ended may still be on its way into the buffer:
         * this replica may be catching up on its topics (just started, or Redis was away). For a
         * while after the stream opens, a job whose buffer holds events but not yet its end is read
         * again; a job with no buffer left (it ended long ago) is told from the snapshot at once.
         */
        private Uni<Boolean> terminalMayStillCome() {
            if (System.nanoTime() - settleBy >= 0) {
                return Uni.createFrom().item(false);
            }
            if (buffered == null) {
                buffered = log.newest(jobId).map(newest -> !StreamIds.START.equals(newest)).memoize().indefinitely();
            }
            return buffered;
        }

        private Uni<String> later() {
            return Uni.createFrom().item("").onItem().delayIt().by(SETTLE_POLL);
        }

        /** The terminal event was given or lies before the cursor: the stream follows that end's attempt to its artifacts. */
        private void passedTerminal(StreamEvent terminal) {
            attempt = Attempts.following(attempt, terminal);
            terminalPassed = true;
            endBy = StreamEnd.endBy(terminal.publishedAt(), System.currentTimeMillis(), config.artifactWait());
        }

        /** Whether the wait for the job's artifact events is over. */
        boolean endDue(long now) {
            return terminalPassed && !ended && now - endBy >= 0;
        }

        /** The {@code end} event once the wait for artifact events is over, else nothing. */
        private String endIfDue() {
            return !ended && endDue(System.currentTimeMillis()) ? finish(false) : "";
        }

        private String finish(boolean complete) {
            ended = true;
            return SseFormat.frame(StreamEnd.end(complete));
        }

        /**
         * The events as SSE text: a {@code gap} where the buffer skipped some; after the terminal event
         * only artifact events (a log line that came late is left out, as a second terminal would
         * be); the {@code end} event right after the event that settles the job's finalization. The
         * events of an attempt earlier than the one followed are left out, as are, after the terminal
         * event, those of a later one (the job was retried after this stream's end).
         */
        private String frames(List<StreamEvent> events, boolean live) {
            if (events.isEmpty()) {
                return "";
            }
            StringBuilder out = new StringBuilder(events.size() * (events.getFirst().data().length() + 64));
            int written = 0;
            List<StreamEvent> given = null;
            for (int i = 0; i < events.size(); i++) {
                StreamEvent event = events.get(i);
                if (!StreamEvent.DROPPED.equals(event.type())) {
                    OptionalLong skipped = StreamIds.skipped(last, event.id());
                    if (skipped.isEmpty() || skipped.getAsLong() > 0) {
                        SseFormat.append(out, StreamEvent.gap(event.id(), skipped));
                    }
                }
                last = event.id();
                if (!terminalPassed) {
                    attempt = Attempts.following(attempt, event);
                }
                if (leftOut(event)) {
                    if (given == null) {
                        given = new ArrayList<>(events.subList(0, i));
                    }
                    continue;
                }
                SseFormat.append(out, event);
                written++;
                if (given != null) {
                    given.add(event);
                }
                if (event.isTerminal()) {
                    passedTerminal(live ? event.publishedAt(0) : event);
                } else if (StreamEnd.settles(event)) {
                    finalized = true;
                }
                if (finalized && terminalPassed) {
                    SseFormat.append(out, StreamEnd.end(true));
                    ended = true;
                    break;
                }
            }
            metrics.written(given != null ? given : events.subList(0, written), live);
            return out.toString();
        }

        /**
         * Whether the stream leaves the event out: it is of an attempt before the one followed, or it
         * comes after the terminal event and is not an artifact event of the attempt that ended.
         */
        private boolean leftOut(StreamEvent event) {
            if (Attempts.isHistory(event, attempt)) {
                return true;
            }
            return terminalPassed && (!StreamEvent.ARTIFACT.equals(event.type()) || event.attempt() > attempt);
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                live.remove(this);
                if (membership != null) {
                    membership.close();
                }
            }
            metrics.closed();
        }
    }

    /** The job as job-service shows it to this user; fails with a 404 problem for another user's job. */
    public Uni<JsonNode> snapshot(String user, UUID jobId) {
        return jobService.job(key.forUser(user), jobId.toString())
                .onFailure(WebApplicationException.class)
                .recoverWithItem(e -> ((WebApplicationException) e).getResponse())
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
                    } catch (IOException e) {
                        throw new ProblemException(502, "UPSTREAM_ERROR", "Job service error", "Unreadable job.");
                    }
                });
    }
}
