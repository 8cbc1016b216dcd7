package io.aegis.logstream.service;

import io.aegis.logstream.config.LogStreamConfig;
import io.aegis.logstream.domain.StreamEvent;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XAddArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Each job's events in a capped Redis Stream ({@code aegis:events:<jobId>}): the replay buffer. */
@ApplicationScoped
public class EventLog {

    private final ReactiveStreamCommands<String, String, String> streams;
    private final ReactiveKeyCommands<String> keys;
    private final LogStreamConfig config;

    public EventLog(ReactiveRedisDataSource redis, LogStreamConfig config) {
        this.streams = redis.stream(String.class);
        this.keys = redis.key();
        this.config = config;
    }

    static String key(UUID jobId) {
        return "aegis:events:" + jobId;
    }

    /** Appends an event and answers it with its id. */
    public Uni<StreamEvent> append(UUID jobId, StreamEvent event) {
        String key = key(jobId);
        return streams.xadd(key, new XAddArgs().maxlen(config.replayCap()).nearlyExactTrimming(),
                        Map.of("type", event.type(), "data", event.data()))
                .call(() -> keys.expire(key, config.replayTtl()))
                .map(event::withId);
    }

    /** Every event after the cursor, in order. */
    public Uni<List<StreamEvent>> after(UUID jobId, String cursor) {
        return streams.xrange(key(jobId), StreamRange.of("(" + cursor, "+"))
                .map(messages -> messages.stream().map(EventLog::toEvent).toList());
    }

    private static StreamEvent toEvent(StreamMessage<String, String, String> message) {
        return new StreamEvent(message.id(), message.payload().get("type"), message.payload().get("data"));
    }
}
