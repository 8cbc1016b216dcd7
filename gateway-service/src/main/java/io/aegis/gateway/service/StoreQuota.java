package io.aegis.gateway.service;

import io.aegis.contracts.problem.ProblemException;
import io.aegis.events.EventJson;
import io.aegis.gateway.client.Backends;
import io.aegis.gateway.config.GatewayConfig;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each user's store quota ({@code aegis.limits.store-bytes-per-user}): what their jobs' files take,
 * as artifact-service counts it, held against the quota at every submit. A user at or over it is
 * refused with a 403 {@code STORE_QUOTA_EXCEEDED} until retention removes old jobs. The usage read
 * for a submit is kept {@link #FRESH} per user, so a burst of submits asks once; should
 * artifact-service not answer, the submit is let through (a job's own size is capped by the worker).
 */
@ApplicationScoped
public class StoreQuota {

    static final Duration FRESH = Duration.ofSeconds(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private record Seen(long bytes, Instant at) {
    }

    private final Backends backends;
    private final URI artifacts;
    private final long quota;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    public StoreQuota(Backends backends, GatewayConfig config) {
        this.backends = backends;
        this.artifacts = config.services().artifact();
        this.quota = config.limits().storeBytesPerUser();
    }

    /** The quota in bytes; empty where there is none. */
    public OptionalLong quota() {
        return quota > 0 ? OptionalLong.of(quota) : OptionalLong.empty();
    }

    /** What {@code user}'s jobs take now; empty when artifact-service cannot say. */
    public Uni<OptionalLong> usage(String user) {
        return backends.get(artifacts, "/api/v1/usage", user)
                .ifNoItem().after(TIMEOUT).fail()
                .map(answer -> {
                    if (answer.status() != 200) {
                        throw new IllegalStateException("artifact-service answered " + answer.status());
                    }
                    Object stored = EventJson.decode(answer.body().toString(), Map.class).get("storeBytes");
                    if (!(stored instanceof Number number)) {
                        throw new IllegalStateException("artifact-service named no storeBytes");
                    }
                    long bytes = number.longValue();
                    seen.put(user, new Seen(bytes, Instant.now()));
                    return OptionalLong.of(bytes);
                })
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("Cannot read the store usage of %s: %s", user, failure.toString());
                    return OptionalLong.empty();
                });
    }

    /** Admits a submit of {@code user}, or fails with the 403 problem of a full quota. */
    public Uni<Void> admit(String user) {
        if (quota <= 0) {
            return Uni.createFrom().voidItem();
        }
        Seen last = seen.get(user);
        Uni<OptionalLong> usage = last != null && last.at().plus(FRESH).isAfter(Instant.now())
                ? Uni.createFrom().item(OptionalLong.of(last.bytes()))
                : usage(user);
        return usage.invoke(bytes -> bytes.ifPresent(used -> check(used, quota))).replaceWithVoid();
    }

    /** Refuses when {@code used} bytes reach the {@code quota}. */
    static void check(long used, long quota) {
        if (quota > 0 && used >= quota) {
            throw new ProblemException(403, "STORE_QUOTA_EXCEEDED", "Store quota used up", "Your jobs take "
                    + used + " bytes of your " + quota + "-byte store quota; older jobs are removed by retention, "
                    + "and new ones are taken again once there is room.");
        }
    }
}
