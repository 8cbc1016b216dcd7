package io.aegis.logstream.service;

import io.aegis.logstream.config.LogStreamConfig;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.sortedset.ReactiveSortedSetCommands;
import io.quarkus.redis.datasource.sortedset.ZAddArgs;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many streams a user has open, across every replica: each open stream holds a lease in the
 * user's Redis sorted set (member: the stream, score: when the lease ends). Leases are renewed while
 * their streams are open, so a replica that dies frees its users' slots once its leases run out.
 */
@ApplicationScoped
public class StreamSlots {

    /** KEYS: the user's set. ARGV: now, lease end, limit, stream, ttl millis. Answers 1 when taken, 0 when full. */
    /** Users whose leases are renewed at the same time. */
    private static final int RENEWING_AT_ONCE = 8;

    private static final RedisScript TAKE = new RedisScript("""
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
            if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
              return 0
            end
            redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            return 1
            """);

    private final ReactiveRedisDataSource redis;
    private final ReactiveSortedSetCommands<String, String> sets;
    private final LogStreamConfig config;
    private final Vertx vertx;
    private final Map<String, String> held = new ConcurrentHashMap<>();
    private long renewal = -1;

    public StreamSlots(ReactiveRedisDataSource redis, LogStreamConfig config, Vertx vertx) {
        this.redis = redis;
        this.sets = redis.sortedSet(String.class);
        this.config = config;
        this.vertx = vertx;
    }

    static String key(String user) {
        return "aegis:streams:{" + user + "}";
    }

    @PostConstruct
    void start() {
        long every = Math.max(1000, config.streamLease().toMillis() / 3);
        renewal = vertx.setPeriodic(every, tick -> renew());
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(renewal);
    }

    /** Takes one of the user's slots; answers the slot's id, or null when all are taken. */
    public Uni<String> take(String user) {
        String slot = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        long lease = config.streamLease().toMillis();
        return TAKE.run(redis, List.of(key(user)), List.of(Long.toString(now), Long.toString(now + lease),
                        Integer.toString(config.streamsPerUser()), slot, Long.toString(lease)))
                .map(taken -> {
                    if (taken.toInteger() == 1) {
                        held.put(slot, user);
                        return slot;
                    }
                    return null;
                });
    }

    public void release(String slot) {
        String user = held.remove(slot);
        if (user != null) {
            sets.zrem(key(user), slot).subscribe().with(removed -> { },
                    failure -> Log.debugf("Slot %s of %s left to expire: %s", slot, user, failure.toString()));
        }
    }

    public int held() {
        return held.size();
    }

    /**
     * Extends every lease this replica holds: one command per user, a few at a time, so ten thousand
     * streams never flood the Redis pool that live events need.
     */
    private void renew() {
        double end = System.currentTimeMillis() + config.streamLease().toMillis();
        Map<String, Map<String, Double>> byUser = new HashMap<>();
        held.forEach((slot, user) -> byUser.computeIfAbsent(user, u -> new HashMap<>()).put(slot, end));
        Multi.createFrom().iterable(byUser.entrySet())
                .onItem().transformToUni(leases -> sets.zadd(key(leases.getKey()), new ZAddArgs().xx(), leases.getValue())
                        .onFailure().invoke(failure -> Log.debugf("Leases of %s not renewed: %s",
                                leases.getKey(), failure.toString()))
                        .onFailure().recoverWithNull())
                .merge(RENEWING_AT_ONCE)
                .subscribe().with(renewed -> { });
    }
}
