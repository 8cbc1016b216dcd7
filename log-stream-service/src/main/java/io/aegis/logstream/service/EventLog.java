package io.aegis.logstream.service;

import io.aegis.logstream.config.LogStreamConfig;
import io.aegis.logstream.domain.StreamEvent;
import io.aegis.logstream.domain.StreamIds;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Each job's events in a capped Redis Stream, the replay buffer every replica shares. Every replica
 * consumes every event, so an append names where its event came from ({@code origin}, e.g. a topic
 * partition) and its position there: an event at or before the last position appended from its
 * origin is a duplicate and is not appended again. Ids are {@code <epoch>-<n>} ({@link StreamIds}).
 */
@ApplicationScoped
public class EventLog {

    /**
     * KEYS: stream, meta hash. ARGV: origin, position, type, data, published-at, cap, ttl millis.
     * Answers the new event's id, or nil for a duplicate.
     */
    private static final RedisScript APPEND = new RedisScript("""
            local seen = redis.call('HGET', KEYS[2], ARGV[1])
            if seen and tonumber(seen) >= tonumber(ARGV[2]) then
              return false
            end
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
            local epoch = redis.call('HGET', KEYS[2], 'epoch')
            if not epoch then
              local now = redis.call('TIME')
              epoch = now[1] .. string.format('%03d', math.floor(tonumber(now[2]) / 1000))
              redis.call('HSET', KEYS[2], 'epoch', epoch)
            end
            local n = redis.call('HINCRBY', KEYS[2], 'n', 1)
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[6], epoch .. '-' .. n,
              'type', ARGV[3], 'data', ARGV[4], 'at', ARGV[5])
            redis.call('PEXPIRE', KEYS[1], ARGV[7])
            redis.call('PEXPIRE', KEYS[2], ARGV[7])
            return id
            """);

    /** How long a Redis call may take before it counts as failed (a connection Redis dropped may never answer). */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final ReactiveRedisDataSource redis;
    private final ReactiveStreamCommands<String, String, String> streams;
    private final LogStreamConfig config;

    public EventLog(ReactiveRedisDataSource redis, LogStreamConfig config) {
        this.redis = redis;
        this.streams = redis.stream(String.class);
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
        return APPEND.run(redis, List.of(key(jobId), metaKey(jobId)), List.of(origin, Long.toString(position),
                        event.type(), event.data(), Long.toString(event.publishedAt()),
                        Long.toString(config.replayCap()), Long.toString(config.replayTtl().toMillis())))
                .ifNoItem().after(TIMEOUT).fail()
                .map(response -> Optional.ofNullable(response).map(Object::toString));
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

    /** The job's terminal event, looked for among its newest events (only artifact events follow it). */
    public Uni<Optional<StreamEvent>> lastTerminal(UUID jobId) {
        return streams.xrevrange(key(jobId), StreamRange.of("+", "-"), 64)
                .ifNoItem().after(TIMEOUT).fail()
                .map(messages -> messages.stream().map(EventLog::toEvent).filter(StreamEvent::isTerminal).findFirst());
    }

    private static StreamEvent toEvent(StreamMessage<String, String, String> message) {
        String at = message.payload().get("at");
        return new StreamEvent(message.id(), message.payload().get("type"), message.payload().get("data"),
                at == null ? 0 : Long.parseLong(at));
    }
}
