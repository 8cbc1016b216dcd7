package io.aegis.logstream.service;

import io.aegis.logstream.config.LogStreamConfig;
import io.aegis.logstream.domain.Attempts;
import io.aegis.logstream.domain.StreamEnd;
import io.aegis.logstream.domain.StreamEvent;
import io.aegis.logstream.domain.StreamIds;
import io.aegis.logstream.domain.TerminalHold;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Each job's events in a capped Redis Stream, the replay buffer every replica shares. Every replica
 * consumes every event, so an append names where its event came from ({@code origin}, e.g. a topic
 * partition) and its position there: an event at or before the last position appended from its
 * origin is a duplicate and is not appended again. Ids are {@code <epoch>-<n>} ({@link StreamIds}).
 */
@ApplicationScoped
public class EventLog {

    /**
     * KEYS: stream, meta hash. ARGV: cap, ttl millis, then per event: origin, position, type, data,
     * published-at, mark, reach field, reach, attempt. Answers each event's new id, or false for a
     * duplicate, in order. A mark other than empty is a field of the meta hash that gets the event's
     * id ({@link #ENDED}, {@link #FINALIZED}), so a reader finds where the job ended without scanning
     * the stream; an end also keeps its attempt ({@link #ENDED_ATTEMPT}). A reach field other than
     * empty is a field of the meta hash that keeps the highest reach seen, duplicate or not
     * ({@link #reached}): how far the worker's numbered events are buffered. An event's attempt is
     * kept with it, and the highest one appended in {@link #ATTEMPT}; an event that names none (an
     * artifact event of a producer that does not say) is of the attempt whose end is buffered, as
     * artifact-service finalizes a job after its end. An artifact event marks the job finalized only
     * for the end buffered last: an earlier attempt's, come late, does not.
     */
    private static final RedisScript APPEND = new RedisScript("""
            local epoch = redis.call('HGET', KEYS[2], 'epoch')
            if not epoch then
              local now = redis.call('TIME')
              epoch = now[1] .. string.format('%03d', math.floor(tonumber(now[2]) / 1000))
              redis.call('HSET', KEYS[2], 'epoch', epoch)
            end
            local ids = {}
            for i = 3, #ARGV, 9 do
              if ARGV[i + 6] ~= '' then
                local reached = redis.call('HGET', KEYS[2], ARGV[i + 6])
                if not reached or tonumber(reached) < tonumber(ARGV[i + 7]) then
                  redis.call('HSET', KEYS[2], ARGV[i + 6], ARGV[i + 7])
                end
              end
              local seen = redis.call('HGET', KEYS[2], ARGV[i])
              if seen and tonumber(seen) >= tonumber(ARGV[i + 1]) then
                ids[#ids + 1] = false
              else
                redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
                local attempt = ARGV[i + 8]
                if attempt == '0' then
                  attempt = redis.call('HGET', KEYS[2], 'ended-attempt') or '0'
                else
                  local newest = redis.call('HGET', KEYS[2], 'attempt')
                  if not newest or tonumber(newest) < tonumber(attempt) then
                    redis.call('HSET', KEYS[2], 'attempt', attempt)
                  end
                end
                local n = redis.call('HINCRBY', KEYS[2], 'n', 1)
                ids[#ids + 1] = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], epoch .. '-' .. n,
                  'type', ARGV[i + 2], 'data', ARGV[i + 3], 'at', ARGV[i + 4], 'attempt', attempt)
                -- a finalization counts for the end it follows: not an earlier attempt's that came late
                if ARGV[i + 5] ~= '' and (ARGV[i + 5] ~= 'finalized'
                    or attempt == (redis.call('HGET', KEYS[2], 'ended-attempt') or '0')) then
                  redis.call('HSET', KEYS[2], ARGV[i + 5], ids[#ids])
                end
                if ARGV[i + 5] == 'ended' then
                  redis.call('HSET', KEYS[2], 'ended-attempt', attempt)
                end
              end
            end
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            redis.call('PEXPIRE', KEYS[2], ARGV[2])
            return ids
            """);

    /**
     * KEYS: meta hash. ARGV: attempt, ttl millis. The job runs {@code attempt} (it was retried):
     * kept as the newest attempt unless a later one is known already.
     */
    private static final RedisScript RETRIED = new RedisScript("""
            local newest = redis.call('HGET', KEYS[1], 'attempt')
            if not newest or tonumber(newest) < tonumber(ARGV[1]) then
              redis.call('HSET', KEYS[1], 'attempt', ARGV[1])
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 1
            """);

    /** Meta field: the id of the job's newest terminal event (of whichever attempt). */
    static final String ENDED = "ended";
    /** Meta field: the attempt of the job's newest terminal event. */
    static final String ENDED_ATTEMPT = "ended-attempt";
    /** Meta field: the newest attempt of the job the buffer knows of, from its events and its retries. */
    static final String ATTEMPT = "attempt";
    /** Meta field: the id of the artifact event that settled the job's finalization ({@link StreamEnd#settles}). */
    static final String FINALIZED = "finalized";

    /**
     * Where a job's stream ends, as its buffer has it: its current attempt's terminal event and the id
     * of the event that settled its finalization; both empty while that attempt has not ended.
     */
    public record Ends(Optional<StreamEvent> terminal, Optional<String> finalized) {

        static final Ends NOT_YET = new Ends(Optional.empty(), Optional.empty());
    }

    /**
     * Which of the buffer's end marks count: the end only while no later attempt is known (a retry
     * makes the job run again), the finalization only once it came after that end (an earlier
     * attempt's finalization settles nothing of the current one). Empty for an end that does not count.
     */
    static Optional<Marks> countingEnd(String ended, String endedAttempt, String newest, String finalized) {
        if (ended == null || !Attempts.stillEnded((int) number(endedAttempt), (int) number(newest))) {
            return Optional.empty();
        }
        return Optional.of(new Marks(ended,
                Optional.ofNullable(finalized).filter(settled -> StreamIds.isAfter(settled, ended))));
    }

    /** The ids of the job's current end and of the event that settled its finalization, if one did. */
    record Marks(String ended, Optional<String> finalized) {
    }

    /**
     * An event to append: where it came from (an origin and its position there) and the event; for a
     * worker's numbered event, its {@link Seq}, or null.
     */
    public record Entry(String origin, long position, StreamEvent event, Seq seq) {

        public Entry(String origin, long position, StreamEvent event) {
            this(origin, position, event, null);
        }
    }

    /** A worker's log line ({@code log}) or progress report (not) of {@code attempt}, numbered {@code seq}. */
    public record Seq(boolean log, int attempt, long seq) {

        String field() {
            return (log ? "seq:log:" : "seq:progress:") + attempt;
        }
    }

    /** How long a Redis call may take before it counts as failed (a connection Redis dropped may never answer). */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final ReactiveRedisDataSource redis;
    private final ReactiveStreamCommands<String, String, String> streams;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final LogStreamConfig config;

    public EventLog(ReactiveRedisDataSource redis, LogStreamConfig config) {
        this.redis = redis;
        this.streams = redis.stream(String.class);
        this.hashes = redis.hash(String.class);
        this.config = config;
    }

    /** The job's stream; the braces keep a job's keys on one Redis Cluster slot. */
    static String key(UUID jobId) {
        return "aegis:events:{" + jobId + "}";
    }

    static String metaKey(UUID jobId) {
        return "aegis:events:{" + jobId + "}:meta";
    }

    /** Appends an event unless its origin has it already; answers its id, or empty for a duplicate. */
    public Uni<Optional<String>> append(UUID jobId, String origin, long position, StreamEvent event) {
        return appendAll(jobId, List.of(new Entry(origin, position, event))).map(List::getFirst);
    }

    /**
     * Appends a job's events in order in one atomic step, each unless its origin has it already;
     * answers each one's id, or empty for a duplicate.
     */
    public Uni<List<Optional<String>>> appendAll(UUID jobId, List<Entry> entries) {
        List<String> args = new ArrayList<>(2 + 9 * entries.size());
        args.add(Long.toString(config.replayCap()));
        args.add(Long.toString(config.replayTtl().toMillis()));
        for (Entry entry : entries) {
            args.add(entry.origin());
            args.add(Long.toString(entry.position()));
            args.add(entry.event().type());
            args.add(entry.event().data());
            args.add(Long.toString(entry.event().publishedAt()));
            args.add(mark(entry.event()));
            args.add(entry.seq() == null ? "" : entry.seq().field());
            args.add(entry.seq() == null ? "0" : Long.toString(entry.seq().seq()));
            args.add(Integer.toString(entry.event().attempt()));
        }
        return APPEND.run(redis, List.of(key(jobId), metaKey(jobId)), args)
                .ifNoItem().after(TIMEOUT).fail()
                .map(response -> {
                    List<Optional<String>> ids = new ArrayList<>(response.size());
                    for (int i = 0; i < response.size(); i++) {
                        ids.add(Optional.ofNullable(response.get(i)).map(Object::toString));
                    }
                    return ids;
                });
    }

    /**
     * Waits out a Redis outage for an append: tried again, backing off up to 2 s, for as long as
     * {@code wanted} holds, so an event accepted from Kafka or a pod is not lost while Redis is away.
     */
    public static <T> Uni<T> untilBuffered(Uni<T> append, BooleanSupplier wanted, String what) {
        return append
                .onFailure().invoke(f -> Log.warnf("%s waits for Redis: %s", what, f.toString()))
                .onFailure(f -> wanted.getAsBoolean()).retry()
                .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).indefinitely();
    }

    /** Up to {@code count} events after the cursor, in order. */
    public Uni<List<StreamEvent>> after(UUID jobId, String cursor, int count) {
        return streams.xrange(key(jobId), StreamRange.of("(" + cursor, "+"), count)
                .ifNoItem().after(TIMEOUT).fail()
                .map(messages -> messages.stream().map(EventLog::toEvent).toList());
    }

    /** The id of the job's newest event, or {@link StreamIds#START} for a job with none. */
    public Uni<String> newest(UUID jobId) {
        return streams.xrevrange(key(jobId), StreamRange.of("+", "-"), 1)
                .ifNoItem().after(TIMEOUT).fail()
                .map(messages -> messages.isEmpty() ? StreamIds.START : messages.getFirst().id());
    }

    /** The meta field an event's id is kept in, or empty for an event that marks nothing. */
    private static String mark(StreamEvent event) {
        if (event.isTerminal()) {
            return ENDED;
        }
        return StreamEnd.settles(event) ? FINALIZED : "";
    }

    /**
     * The job runs {@code attempt} again after an end (job-service retried it): from now on the end
     * of an earlier attempt is no longer the job's end, whichever of the job's events come first.
     */
    public Uni<Void> retried(UUID jobId, int attempt) {
        return RETRIED.run(redis, List.of(metaKey(jobId)),
                        List.of(Integer.toString(attempt), Long.toString(config.replayTtl().toMillis())))
                .ifNoItem().after(TIMEOUT).fail().replaceWithVoid();
    }

    /** Whether the terminal event of the job's newest attempt is in its buffer. */
    public Uni<Boolean> hasTerminal(UUID jobId) {
        return hashes.hmget(metaKey(jobId), ENDED, ENDED_ATTEMPT, ATTEMPT)
                .ifNoItem().after(TIMEOUT).fail()
                .map(marks -> countingEnd(marks.get(ENDED), marks.get(ENDED_ATTEMPT), marks.get(ATTEMPT), null)
                        .isPresent());
    }

    /** Whether the end of the job's {@code attempt}, or of a later one, is in its buffer. */
    public Uni<Boolean> hasEnded(UUID jobId, int attempt) {
        return hashes.hmget(metaKey(jobId), ENDED, ENDED_ATTEMPT)
                .ifNoItem().after(TIMEOUT).fail()
                .map(marks -> marks.get(ENDED) != null && number(marks.get(ENDED_ATTEMPT)) >= attempt);
    }

    /**
     * How far the worker's events of the job's {@code attempt} are buffered: the highest log seq and
     * the highest progress seq appended (or found there already), 0 for none.
     */
    public Uni<TerminalHold.Seqs> reached(UUID jobId, int attempt) {
        String log = new Seq(true, attempt, 0).field();
        String progress = new Seq(false, attempt, 0).field();
        return hashes.hmget(metaKey(jobId), log, progress)
                .ifNoItem().after(TIMEOUT).fail()
                .map(found -> new TerminalHold.Seqs(number(found.get(log)), number(found.get(progress))));
    }

    private static long number(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }

    /** Where the job's stream ends (its current attempt's end), as far as its buffer knows yet. */
    public Uni<Ends> ends(UUID jobId) {
        return hashes.hmget(metaKey(jobId), ENDED, ENDED_ATTEMPT, ATTEMPT, FINALIZED)
                .ifNoItem().after(TIMEOUT).fail()
                .chain(marks -> {
                    Optional<Marks> end = countingEnd(marks.get(ENDED), marks.get(ENDED_ATTEMPT),
                            marks.get(ATTEMPT), marks.get(FINALIZED));
                    if (end.isEmpty()) {
                        return Uni.createFrom().item(Ends.NOT_YET);
                    }
                    String ended = end.get().ended();
                    return streams.xrange(key(jobId), StreamRange.of(ended, ended))
                            .ifNoItem().after(TIMEOUT).fail()
                            .map(found -> new Ends(found.stream().map(EventLog::toEvent).findFirst(),
                                    end.get().finalized()));
                });
    }

    private static StreamEvent toEvent(StreamMessage<String, String, String> message) {
        String at = message.payload().get("at");
        String attempt = message.payload().get("attempt");
        return new StreamEvent(message.id(), message.payload().get("type"), message.payload().get("data"),
                at == null ? 0 : Long.parseLong(at), attempt == null ? Attempts.NONE : Integer.parseInt(attempt));
    }
}
