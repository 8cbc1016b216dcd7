package io.aegis.gateway.service;

import io.aegis.contracts.problem.ProblemException;
import io.aegis.gateway.config.GatewayConfig;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Each user's submits a minute ({@code aegis.limits.submits-per-minute}), counted in Redis so every
 * gateway replica counts the same submits: a user may send that many at once, then one each
 * minute / limit. Every submit counts, accepted or refused, before any work is done for it; one
 * past the limit is a 429 {@code RATE_LIMITED} saying when to try again. Should Redis not answer,
 * the submit is let through (job-service's cap on a user's unfinished jobs still holds) and a
 * warning is logged.
 */
@ApplicationScoped
public class SubmitRateLimiter {

    static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);
    private static final String KEY_PREFIX = "aegis:submit-rate:";
    private static final Duration PERIOD = Duration.ofMinutes(1);
    private static final String SCRIPT = script();

    private final ReactiveRedisDataSource redis;
    private final int perMinute;

    @Inject
    public SubmitRateLimiter(ReactiveRedisDataSource redis, GatewayConfig config) {
        this(redis, config.limits().submitsPerMinute());
    }

    SubmitRateLimiter(ReactiveRedisDataSource redis, int perMinute) {
        this.redis = redis;
        this.perMinute = perMinute;
    }

    /** Admits one submit of {@code user}, or fails with a 429 problem; no limit when the setting is 0. */
    public Uni<Void> admit(String user) {
        if (perMinute <= 0) {
            return Uni.createFrom().voidItem();
        }
        return redis.execute("EVAL", SCRIPT, "1", KEY_PREFIX + user, String.valueOf(PERIOD.toMillis()),
                        String.valueOf(perMinute))
                .ifNoItem().after(REDIS_TIMEOUT).fail()
                .map(answer -> answer.toLong())
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("Redis did not count a submit of %s; let through: %s", user, failure.toString());
                    return 0L;
                })
                .invoke(waitMillis -> {
                    if (waitMillis > 0) {
                        long seconds = (waitMillis + 999) / 1000;
                        throw new ProblemException(429, "RATE_LIMITED", "Too many submits", "You may submit "
                                + perMinute + " jobs a minute; try again in " + seconds + " s.")
                                .retryAfter(Duration.ofSeconds(seconds));
                    }
                })
                .replaceWithVoid();
    }

    private static String script() {
        try (InputStream in = SubmitRateLimiter.class.getResourceAsStream("/submit-rate.lua")) {
            if (in == null) {
                throw new IllegalStateException("submit-rate.lua is missing from the gateway's resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
