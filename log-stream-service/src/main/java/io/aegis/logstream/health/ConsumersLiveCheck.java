package io.aegis.logstream.health;

import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once every topic's consumer has its partitions: a stream served before then could
 * see a job's end before its last log lines, which travel on another topic.
 *
 * <p>A consumer answers for its partitions on its polling thread, between polls; an idle one
 * waits out its poll first (up to a second). So the answers are gathered in the background, every
 * channel at once, and a probe reads the last of them at once: a probe never waits on a poll.
 */
@Readiness
@Startup
@ApplicationScoped
public class ConsumersLiveCheck implements HealthCheck {

    static final List<String> CHANNELS = List.of("job-progress", "job-log", "job-state", "artifact-state");
    private static final Duration REFRESH = Duration.ofSeconds(1);
    private static final Duration ANSWER = Duration.ofSeconds(5);

    private final KafkaClientService kafka;
    private final Map<String, Boolean> assigned = new ConcurrentHashMap<>();
    private final Cancellable refreshing;

    public ConsumersLiveCheck(KafkaClientService kafka) {
        this.kafka = kafka;
        CHANNELS.forEach(channel -> assigned.put(channel, false));
        this.refreshing = Multi.createFrom().ticks().every(REFRESH)
                .onOverflow().drop()
                .onItem().transformToUniAndConcatenate(tick -> refresh())
                .subscribe().with(done -> { });
    }

    @PreDestroy
    void stop() {
        refreshing.cancel();
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("kafka-consumers-assigned");
        CHANNELS.forEach(channel -> response.withData(channel, assigned.get(channel) ? "assigned" : "waiting"));
        return response.status(CHANNELS.stream().allMatch(assigned::get)).build();
    }

    private Uni<Void> refresh() {
        return Uni.join().all(CHANNELS.stream().map(this::ask).toList()).andCollectFailures()
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<Boolean> ask(String channel) {
        KafkaConsumer<Object, Object> consumer = kafka.getConsumer(channel);
        if (consumer == null) {
            assigned.put(channel, false);
            return Uni.createFrom().item(false);
        }
        return consumer.getAssignments()
                .map(partitions -> !partitions.isEmpty())
                .ifNoItem().after(ANSWER).recoverWithItem(false)
                .onFailure().recoverWithItem(false)
                .invoke(answer -> assigned.put(channel, answer));
    }
}
