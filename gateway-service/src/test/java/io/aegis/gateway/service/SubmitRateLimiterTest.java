package io.aegis.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aegis.contracts.problem.ProblemException;
import io.aegis.gateway.rest.BackendStandIn;
import io.aegis.testing.Ports;
import io.aegis.testing.RedisServerResource;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The submit rate, counted in the real Redis the suite starts. */
@QuarkusTest
@WithTestResource(BackendStandIn.class)
@WithTestResource(RedisServerResource.class)
class SubmitRateLimiterTest {

    private static final Duration AWAIT = Duration.ofSeconds(5);

    @Inject
    ReactiveRedisDataSource redis;

    @Test
    void aUserMaySubmitTheLimitAtOnceThenIsRefusedWithWhenToTryAgain() {
        SubmitRateLimiter limiter = new SubmitRateLimiter(redis, 5);
        String user = user();
        for (int i = 0; i < 5; i++) {
            limiter.admit(user).await().atMost(AWAIT);
        }

        assertThatThrownBy(() -> limiter.admit(user).await().atMost(AWAIT)).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(429);
            assertThat(e.problem().code()).isEqualTo("RATE_LIMITED");
            // five a minute: the next one a fifth of a minute after the first
            assertThat(e.retryAfterSeconds()).hasValueSatisfying(seconds -> assertThat(seconds).isBetween(1L, 12L));
            assertThat(e.problem().detail()).contains("5 jobs a minute").contains(e.retryAfterSeconds().get() + " s");
        });
    }

    @Test
    void eachUserIsCountedApartAndEveryReplicaCountsTheSameSubmits() {
        SubmitRateLimiter one = new SubmitRateLimiter(redis, 2);
        SubmitRateLimiter another = new SubmitRateLimiter(redis, 2);
        String user = user();
        one.admit(user).await().atMost(AWAIT);
        another.admit(user).await().atMost(AWAIT);

        assertThatThrownBy(() -> one.admit(user).await().atMost(AWAIT)).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> another.admit(user).await().atMost(AWAIT)).isInstanceOf(ProblemException.class);
        one.admit(user()).await().atMost(AWAIT);
    }

    @Test
    void zeroSetsNoLimit() {
        SubmitRateLimiter off = new SubmitRateLimiter(redis, 0);
        String user = user();
        for (int i = 0; i < 100; i++) {
            off.admit(user).await().atMost(AWAIT);
        }
    }

    @Test
    void whileRedisIsDownSubmitsAreLetThrough() throws Exception {
        SubmitRateLimiter limiter = new SubmitRateLimiter(redis, 1);
        String user = user();
        limiter.admit(user).await().atMost(AWAIT);
        URI url = URI.create(RedisServerResource.server().url());
        CompletableFuture<Void> outage = CompletableFuture.runAsync(() -> RedisServerResource.server().outage(Duration.ofSeconds(4)));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> !Ports.listening(url.getHost(), url.getPort()));
            limiter.admit(user).await().atMost(SubmitRateLimiter.REDIS_TIMEOUT.plus(AWAIT));
        } finally {
            outage.get(30, TimeUnit.SECONDS);
        }
    }

    private static String user() {
        return "user-" + UUID.randomUUID();
    }
}
