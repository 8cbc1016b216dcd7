package io.aegis.logstream.messaging;

import io.aegis.events.ArtifactStateEvent;
import io.aegis.events.JobLogEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStateEvent;
import io.aegis.logstream.config.LogStreamConfig;
import io.aegis.logstream.domain.Attempts;
import io.aegis.logstream.domain.StreamEvent;
import io.aegis.logstream.domain.TerminalHold;
import io.aegis.logstream.kubernetes.PodLogEvents;
import io.aegis.logstream.service.EventLog;
import io.aegis.logstream.service.Hub;
import io.aegis.web.kafka.DeadLetters;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * One Kafka consumption per replica: every event a client may see goes into its job's replay
 * buffer, then the job's feed on this replica is signalled. Every replica consumes every event; the
 * buffer keeps one copy, told apart by the record's topic partition and offset, or for a line of a
 * pod's log by its container and index ({@link #entry}). An event is only acknowledged once
 * buffered: while Redis is away, consumption waits for it rather than lose events. A record of a
 * batch that cannot be read goes to the dead-letter topic as it came ({@link DeadLetters#sendUnreadable}:
 * the connector's dead-letter strategy does not reach into a batch); a job state, read one at a time,
 * gets there by the channel's failure strategy.
 */
@ApplicationScoped
public class KafkaIngest {

    /**
     * Origin of a job's terminal events, whichever record brought them: each attempt ends once. An
     * attempt's end is at its {@link Attempts#terminalPosition}; a {@code gap} marker that precedes it
     * is at the position before, so whichever replica buffers the end first decides whether the
     * marker is there, once.
     */
    static final String TERMINAL_ORIGIN = "terminal";
    /** The longest a terminal event waits for the job's other events to stop coming. */
    static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

    /** How often an artifact event looks whether its job's terminal event is buffered yet, and a held end how far its job's events are. */
    static final Duration TERMINAL_POLL = Duration.ofMillis(100);

    static final String JOB_PROGRESS = "job-progress";
    static final String JOB_LOG = "job-log";
    static final String ARTIFACT_STATE = "artifact-state";

    /** Each running job's events being buffered, and when the last one came or went; a job leaves it once ended. */
    private final Map<UUID, Activity> activity = new ConcurrentHashMap<>();
    /** Jobs whose terminal event this replica is about to buffer: done once it is. */
    private final Map<UUID, CompletableFuture<Void>> ending = new ConcurrentHashMap<>();

    private static final class Activity {
        final AtomicInteger inFlight = new AtomicInteger();
        volatile long last = System.nanoTime();
        /**
         * How far this replica buffered the worker's events of each attempt. The buffer counts too,
         * for every replica, but loses its count with Redis' data: a job whose last events went in
         * before Redis restarted empty would otherwise hold its end for all of {@code terminal-wait}.
         */
        final Map<Integer, TerminalHold.Seqs> reached = new ConcurrentHashMap<>();

        void buffered(List<EventLog.Entry> entries) {
            for (EventLog.Entry entry : entries) {
                EventLog.Seq seq = entry.seq();
                if (seq != null) {
                    reached.merge(seq.attempt(), seq.log() ? new TerminalHold.Seqs(seq.seq(), 0)
                            : new TerminalHold.Seqs(0, seq.seq()), TerminalHold.Seqs::max);
                }
            }
        }

        TerminalHold.Seqs reached(int attempt) {
            return reached.getOrDefault(attempt, new TerminalHold.Seqs(0, 0));
        }

        boolean quietFor(Duration grace) {
            return inFlight.get() == 0 && System.nanoTime() - last >= grace.toNanos();
        }
    }

    private final EventLog log;
    private final Hub hub;
    private final LogStreamConfig config;
    private final DeadLetters deadLetters;
    private final MutinyEmitter<byte[]> deadLetterTopic;

    public KafkaIngest(EventLog log, Hub hub, LogStreamConfig config, DeadLetters deadLetters,
                       @Channel("dead-letter") MutinyEmitter<byte[]> deadLetterTopic) {
        this.log = log;
        this.hub = hub;
        this.config = config;
        this.deadLetters = deadLetters;
        this.deadLetterTopic = deadLetterTopic;
    }

    @Incoming(JOB_PROGRESS)
    public Uni<Void> progress(ConsumerRecords<String, JobProgressEvent> records) {
        return ingest(JOB_PROGRESS, records);
    }

    @Incoming(JOB_LOG)
    public Uni<Void> log(ConsumerRecords<String, JobLogEvent> records) {
        return ingest(JOB_LOG, records);
    }

    /**
     * A terminal state goes into the buffer after the job's own events, which travel on other topics
     * and may still be in flight, or waiting for Redis. An end the worker reported names its last log
     * and progress seqs: it waits until the buffer has them ({@link TerminalHold}), at most
     * {@code terminal-wait}, then goes in after a {@code gap} marker. An end that names none waits
     * until the job's events on this replica have been quiet for a grace period (at most
     * {@link #LONGEST_WAIT}). The consumer is not held up meanwhile (jobs end by the thousand).
     * Should this replica stop before, no client misses the end: a stream opened on an ended job ends
     * all the same, told from the job's snapshot once {@code terminal-wait} has passed.
     * <p>
     * Any other state of a later attempt than the first is the job run again after an end (a retry):
     * the buffer is told at once, so that the earlier attempt's end no longer ends the job's streams,
     * even before the new attempt's own events come. It is acknowledged once the buffer has it.
     */
    @Incoming("job-state")
    public Uni<Void> state(ConsumerRecord<String, JobStateEvent> record) {
        JobStateEvent event = record.value();
        if (event == null) {
            return skip();
        }
        if (!event.status().isTerminal()) {
            return event.attempt() > 1 ? EventLog.untilBuffered(log.retried(event.jobId(), event.attempt()),
                    () -> true, "Retry of job " + event.jobId()) : skip();
        }
        UUID jobId = event.jobId();
        Optional<StreamEvent> terminal = StreamEvent.of(event).map(end -> end.publishedAt(record.timestamp()));
        if (terminal.isEmpty()) {
            return skip();
        }
        long position = Attempts.terminalPosition(event.attempt());
        EventLog.Entry end = new EventLog.Entry(TERMINAL_ORIGIN, position, terminal.get());
        CompletableFuture<Void> ended = ending.computeIfAbsent(jobId, id -> new CompletableFuture<>());
        Uni<List<EventLog.Entry>> held = TerminalHold.expected(event)
                .map(expected -> whenBuffered(jobId, event.attempt(), expected,
                        System.nanoTime() + config.terminalWait().toNanos())
                        .map(decision -> decision == TerminalHold.Decision.APPEND ? List.of(end)
                                : List.of(new EventLog.Entry(TERMINAL_ORIGIN, position - 1, TerminalHold.tailMissing()
                                        .publishedAt(record.timestamp()).ofAttempt(event.attempt())), end)))
                .orElseGet(() -> whenQuiet(jobId, System.nanoTime() + LONGEST_WAIT.toNanos()).map(quiet -> List.of(end)));
        held.chain(entries -> append(jobId, entries, new Activity()))
                .onTermination().invoke(() -> {
                    ending.remove(jobId, ended);
                    ended.complete(null);
                })
                .subscribe().with(done -> activity.remove(jobId),
                        failure -> Log.errorf(failure, "End of job %s not buffered", jobId));
        return skip();
    }

    /** Whether this replica has taken the job's end from its topic and not yet buffered it. */
    public boolean holdsEndOf(UUID jobId) {
        return ending.containsKey(jobId);
    }

    /**
     * Looks every {@link #TERMINAL_POLL} how far the job's events are buffered, until they reach what
     * the end names or {@code deadline} passes. The hold is waited out only on an answer from Redis
     * and once none of the job's events has been buffered by this replica for {@code terminal-grace}:
     * while Redis is away the late events wait for it as the end does, and once it is back they come
     * batch after batch, with instants between two batches when none is in flight.
     */
    private Uni<TerminalHold.Decision> whenBuffered(UUID jobId, int attempt, TerminalHold.Seqs expected, long deadline) {
        return log.reached(jobId, attempt).map(Optional::of).onFailure().recoverWithItem(Optional.empty())
                .chain(inBuffer -> {
                    Activity events = activity.get(jobId);
                    Optional<TerminalHold.Seqs> buffered = inBuffer.map(seqs -> events == null ? seqs
                            : seqs.max(events.reached(attempt)));
                    boolean waitedOut = buffered.isPresent() && System.nanoTime() - deadline >= 0
                            && (events == null || events.quietFor(config.terminalGrace()));
                    TerminalHold.Decision decision = buffered.isEmpty() ? TerminalHold.Decision.WAIT
                            : TerminalHold.decide(expected, buffered.get(), waitedOut);
                    if (decision == TerminalHold.Decision.WAIT) {
                        return Uni.createFrom().voidItem().onItem().delayIt().by(TERMINAL_POLL)
                                .chain(() -> whenBuffered(jobId, attempt, expected, deadline));
                    }
                    if (decision == TerminalHold.Decision.APPEND_AFTER_GAP) {
                        Log.warnf("End of job %s buffered without its last events: it names log seq %d and progress"
                                + " seq %d, the buffer had %s after %s", jobId, expected.log(), expected.progress(),
                                buffered.get(), config.terminalWait());
                    }
                    return Uni.createFrom().item(decision);
                });
    }

    private Uni<Void> whenQuiet(UUID jobId, long deadline) {
        return Uni.createFrom().voidItem().onItem().delayIt().by(config.terminalGrace()).chain(() -> {
            Activity events = activity.get(jobId);
            boolean quiet = events == null || events.quietFor(config.terminalGrace());
            return quiet || System.nanoTime() - deadline > 0 ? skip() : whenQuiet(jobId, deadline);
        });
    }

    /**
     * artifact-service finalizes a job once it has ended, so a job's artifact events come after its
     * terminal event in its stream, however the topics' consumers run (the terminal event waits out
     * its grace; after a Redis outage every consumer retries on its own): each waits until its job's
     * terminal event is buffered, by this replica (however long Redis keeps it waiting) or another,
     * but no longer than {@link #LONGEST_WAIT} for one this replica has not seen (its buffer was lost
     * after the end). They do not hold up the terminal event: it comes first. An artifact event tells
     * the attempt whose end it was built for, and waits for that end: an earlier attempt's artifact,
     * come after a retry, is buffered at once as that attempt's. One that does not tell waits for the
     * end of the job's newest attempt.
     */
    @Incoming(ARTIFACT_STATE)
    public Uni<Void> artifact(ConsumerRecords<String, ArtifactStateEvent> records) {
        long deadline = System.nanoTime() + LONGEST_WAIT.toNanos();
        return ingest(ARTIFACT_STATE, records, (jobId, entries) -> {
            int attempt = entries.stream().mapToInt(entry -> entry.event().attempt()).max().orElse(Attempts.NONE);
            return (attempt == Attempts.NONE ? afterTerminal(jobId, deadline) : afterEnd(jobId, attempt, deadline))
                    .chain(() -> skip());
        }, false);
    }

    /** Completes once the end of the job's {@code attempt} is buffered, or at {@code deadline}. */
    private Uni<Void> afterEnd(UUID jobId, int attempt, long deadline) {
        return pollUntil(log.hasEnded(jobId, attempt), deadline, () -> afterEnd(jobId, attempt, deadline));
    }

    /** Done once {@code buffered} answers yes or {@code deadline} has passed; else {@code again}, a poll later. */
    private static Uni<Void> pollUntil(Uni<Boolean> buffered, long deadline, Supplier<Uni<Void>> again) {
        return buffered.onFailure().recoverWithItem(false).chain(yes ->
                yes || System.nanoTime() - deadline > 0 ? skip()
                        : Uni.createFrom().voidItem().onItem().delayIt().by(TERMINAL_POLL).chain(again::get));
    }

    private Uni<Void> afterTerminal(UUID jobId, long deadline) {
        CompletableFuture<Void> ended = ending.get(jobId);
        if (ended != null) {
            return Uni.createFrom().completionStage(ended);
        }
        return pollUntil(log.hasTerminal(jobId), deadline, () -> afterTerminal(jobId, deadline));
    }

    private Uni<Void> ingest(String channel, ConsumerRecords<String, ?> records) {
        return ingest(channel, records, (jobId, entries) -> skip(), true);
    }

    /**
     * A polled batch of {@code channel}: its events buffered ({@link #buffer}), then its unreadable
     * records sent to the dead letters; the batch is acknowledged once both are done.
     */
    private Uni<Void> ingest(String channel, ConsumerRecords<String, ?> records,
                             BiFunction<UUID, List<EventLog.Entry>, Uni<Void>> ready, boolean activity) {
        return buffer(records, ready, activity).chain(() -> deadLetters.sendUnreadable(channel, records, deadLetterTopic));
    }

    /**
     * Each job's events of a batch go into its buffer in one step, in their order, the jobs side by
     * side; done once every one is buffered.
     *
     * @param ready    completes when a job's events (the entries given) may be buffered
     * @param activity whether they count as the job's activity, which its terminal event waits out
     */
    private Uni<Void> buffer(ConsumerRecords<String, ?> records, BiFunction<UUID, List<EventLog.Entry>, Uni<Void>> ready,
                             boolean activity) {
        Map<UUID, List<EventLog.Entry>> byJob = new LinkedHashMap<>();
        for (ConsumerRecord<String, ?> record : records) {
            if (record.value() == null) {
                // unreadable (the dead letters take it) or a tombstone: nothing to buffer
                continue;
            }
            StreamEvent.of(record.value()).ifPresent(event -> byJob
                    .computeIfAbsent(jobOf(record.value()), id -> new ArrayList<>())
                    .add(entry(record, event.publishedAt(record.timestamp()))));
        }
        if (byJob.isEmpty()) {
            return skip();
        }
        List<Uni<Void>> appends = new ArrayList<>(byJob.size());
        // the job's terminal event waits while its other events are still being buffered
        byJob.forEach((jobId, entries) -> appends.add(ready.apply(jobId, entries).chain(() -> append(jobId, entries,
                activity ? this.activity.computeIfAbsent(jobId, id -> new Activity()) : new Activity()))));
        return Uni.join().all(appends).andFailFast().replaceWithVoid();
    }

    /**
     * The record's event as the buffer takes it, known by where it came from: a line of a pod's log
     * by that container's log and its index there, as {@code PodLogs} appends the same line when it
     * follows the pod itself, so the line is buffered once whichever way comes first; any other
     * event by its topic partition and offset, so a redelivered record is not buffered again. A
     * worker's line or progress report also carries its seq, which a held end waits for.
     */
    static EventLog.Entry entry(ConsumerRecord<String, ?> record, StreamEvent event) {
        EventLog.Seq seq = switch (record.value()) {
            case JobLogEvent line -> new EventLog.Seq(true, line.attempt(), line.seq());
            case JobProgressEvent progress -> new EventLog.Seq(false, progress.attempt(), progress.seq());
            default -> null;
        };
        if (record.value() instanceof JobLogEvent line && line.sourceLine() != null && line.source() != null) {
            return new EventLog.Entry(PodLogEvents.origin(line.source()), line.sourceLine(), event, seq);
        }
        return new EventLog.Entry(record.topic() + ":" + record.partition(), record.offset(), event, seq);
    }

    private static UUID jobOf(Object event) {
        return switch (event) {
            case JobProgressEvent progress -> progress.jobId();
            case JobLogEvent line -> line.jobId();
            case ArtifactStateEvent artifact -> artifact.jobId();
            default -> throw new IllegalArgumentException("Not a job event: " + event.getClass().getName());
        };
    }

    private Uni<Void> append(UUID jobId, List<EventLog.Entry> entries, Activity events) {
        events.inFlight.incrementAndGet();
        return EventLog.untilBuffered(log.appendAll(jobId, entries), () -> true, "Events of job " + jobId)
                .invoke(() -> events.buffered(entries))
                .invoke(() -> hub.signal(jobId))
                .onTermination().invoke(() -> {
                    events.last = System.nanoTime();
                    events.inFlight.decrementAndGet();
                })
                .replaceWithVoid();
    }

    private static Uni<Void> skip() {
        return Uni.createFrom().voidItem();
    }
}
