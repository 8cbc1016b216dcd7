package io.aegis.web.health;

import io.aegis.web.kafka.KafkaClientSettings;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Ready only while the Kafka cluster answers: a pod that cannot reach its brokers takes no traffic,
 * and its readiness answer says why ({@code kafka: DOWN} with the client's error). SmallRye's own
 * channel checks stay UP for a consumer that never connected, and Quarkus' Kafka check blocks the
 * probe for up to a minute; so the cluster is asked here in the background every few seconds, with
 * short timeouts and the same client settings as every channel ({@code kafka.*}, credentials
 * included), and a probe reads the last answer at once.
 *
 * <p>On in every service that uses web-support; one without Kafka (the gateway) leaves it out with
 * {@code quarkus.arc.exclude-types}.
 */
@Readiness
@Startup
@ApplicationScoped
public class KafkaReachableCheck implements HealthCheck {

    static final String NAME = "kafka";
    static final Duration ASK_EVERY = Duration.ofSeconds(5);
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(3);

    private static final Logger LOG = Logger.getLogger(KafkaReachableCheck.class);

    /** The last answer: the number of brokers seen, or why none was. */
    record Answer(boolean up, String detail) {
    }

    private final String bootstrapServers;
    private final Admin admin;
    private final Thread asking;
    private volatile Answer last = new Answer(false, "not asked yet");

    public KafkaReachableCheck(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.bootstrapServers = String.valueOf(kafka.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        this.admin = Admin.create(adminConfig(kafka));
        this.asking = Thread.ofVirtual().name("kafka-reachable").start(this::askUntilStopped);
    }

    @PreDestroy
    void stop() {
        asking.interrupt();
        admin.close(Duration.ZERO);
    }

    @Override
    public HealthCheckResponse call() {
        Answer answer = last;
        return HealthCheckResponse.named(NAME)
                .status(answer.up())
                .withData("bootstrap.servers", bootstrapServers)
                .withData(answer.up() ? "brokers" : "error", answer.detail())
                .build();
    }

    /**
     * The channels' client settings that an admin client takes, with timeouts short enough that an
     * unreachable cluster is told within one round.
     */
    static Map<String, Object> adminConfig(Map<String, Object> kafka) {
        int millis = Math.toIntExact(ANSWER_WITHIN.toMillis());
        return KafkaClientSettings.forClient(kafka, AdminClientConfig.configNames(), Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.CLIENT_ID_CONFIG, "aegis-readiness"));
    }

    /** The answer to one describe-cluster call that ended with {@code failure}. */
    static Answer failed(Throwable failure) {
        Throwable cause = failure instanceof ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
        String message = cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException
                ? "no broker answered within " + ANSWER_WITHIN.toSeconds() + " s"
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return new Answer(false, message);
    }

    Answer ask() {
        try {
            int brokers = admin.describeCluster().nodes().get(ANSWER_WITHIN.toMillis() + 500, TimeUnit.MILLISECONDS).size();
            return brokers > 0 ? new Answer(true, Integer.toString(brokers)) : new Answer(false, "the cluster has no brokers");
        } catch (ExecutionException | TimeoutException e) {
            return failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return last;
        }
    }

    private void askUntilStopped() {
        while (!Thread.currentThread().isInterrupted()) {
            Answer answer = ask();
            if (answer.up() != last.up()) {
                LOG.infof("Kafka at %s is %s", bootstrapServers, answer.up() ? "reachable" : "not reachable: " + answer.detail());
            }
            last = answer;
            try {
                Thread.sleep(ASK_EVERY);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
