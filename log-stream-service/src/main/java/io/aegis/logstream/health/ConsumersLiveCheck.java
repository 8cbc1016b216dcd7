package io.aegis.logstream.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once every topic's consumer has its partitions: a stream served before then could
 * see a job's end before its last log lines, which travel on another topic.
 */
@Readiness
@ApplicationScoped
public class ConsumersLiveCheck implements AsyncHealthCheck {

    static final List<String> CHANNELS = List.of("job-progress", "job-log", "job-state", "artifact-state");

    private final KafkaClientService kafka;

    public ConsumersLiveCheck(KafkaClientService kafka) {
        this.kafka = kafka;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Multi.createFrom().iterable(CHANNELS)
                .onItem().transformToUniAndConcatenate(this::assigned)
                .collect().asList()
                .map(states -> {
                    var response = HealthCheckResponse.named("kafka-consumers-assigned");
                    states.forEach(s -> response.withData(s.getKey(), s.getValue() ? "assigned" : "waiting"));
                    return response.status(states.stream().allMatch(Map.Entry::getValue)).build();
                });
    }

    private Uni<Map.Entry<String, Boolean>> assigned(String channel) {
        KafkaConsumer<Object, Object> consumer = kafka.getConsumer(channel);
        if (consumer == null) {
            return Uni.createFrom().item(Map.entry(channel, false));
        }
        return consumer.getAssignments()
                .map(partitions -> Map.entry(channel, !partitions.isEmpty()))
                .ifNoItem().after(Duration.ofSeconds(2)).recoverWithItem(Map.entry(channel, false))
                .onFailure().recoverWithItem(Map.entry(channel, false));
    }
}
