package io.aegis.logstream.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aegis.events.AegisHeaders;
import io.aegis.events.EventJson;
import io.aegis.events.JobStatus;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.logstream.kubernetes.KubernetesMockResource;
import io.aegis.logstream.kubernetes.PodLogFollower;
import io.aegis.logstream.kubernetes.PodLogs;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
import io.aegis.testing.SseClient;
import io.aegis.testing.SseClient.Connection;
import io.aegis.testing.SseClient.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Pod logs in a job's stream, with the service pointed at fabric8's mock API server: the test
 * makes the job's pod as the worker's Kubernetes executor would, and serves its log.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(JobServiceStandIn.class)
@WithTestResource(KubernetesMockResource.class)
class PodLogsStreamTest {

    private static final String NAMESPACE = KubernetesMockResource.NAMESPACE;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @TestHTTPResource("/api/v1/jobs/")
    URI jobs;

    @Inject
    PodLogs podLogs;

    @Inject
    KubernetesClient client;

    @Test
    void aPodsLinesReachTheJobsStreamOnceEachAsLogEventsFromPodSlashContainer() throws Exception {
        UUID id = JobServiceStandIn.job("grace", JobStatus.RUNNING);
        String name = "aegis-" + id.toString().substring(0, 8) + "-search-1-x7k2p";
        try (Connection stream = SseClient.open(jobs.resolve(id + "/events"), Map.of(AegisHeaders.USER, "grace"))) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.next().type()).isEqualTo("snapshot");
            await().atMost(Duration.ofSeconds(5)).until(() -> podLogs.jobs() == 1);

            // the job's pod appears while its stream is open
            servePod(id, name, """
                    2026-12-02T10:00:00.123456789Z Searching 3 queries
                    2026-12-02T10:00:01Z \u001B[31mError\u001B[0m: password=hunter2
                    2026-12-02T10:00:02Z done
                    """);

            List<JsonNode> lines = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Event event = stream.next();
                assertThat(event.type()).isEqualTo("log");
                lines.add(EventJson.decode(event.data(), JsonNode.class));
            }
            assertThat(lines).extracting(line -> line.path("source").asText()).containsOnly(name + "/tool");
            assertThat(lines).extracting(line -> line.path("line").asText())
                    .containsExactly("Searching 3 queries", "Error: password=***", "done");
            assertThat(lines).extracting(line -> line.path("at").asText()).containsExactly(
                    "2026-12-02T10:00:00.123456789Z", "2026-12-02T10:00:01Z", "2026-12-02T10:00:02Z");
            assertThat(lines.getFirst().path("step").asText()).isEqualTo("search");
            assertThat(lines.getFirst().path("attempt").asInt()).isEqualTo(1);
            assertThat(lines.getFirst().path("stream").asText()).isEqualTo("stdout");
        }
        // the last reader gone, the pod is no longer followed
        await().atMost(Duration.ofSeconds(5)).until(() -> podLogs.jobs() == 0 && podLogs.following() == 0);

        // a new reader follows the pod again from the start: nothing reaches the buffer twice
        int served = logRequests(name);
        try (Connection stream = SseClient.open(jobs.resolve(id + "/events"), Map.of(AegisHeaders.USER, "grace"))) {
            assertThat(stream.next().type()).isEqualTo("snapshot");
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                events.add(stream.next());
            }
            assertThat(events).extracting(Event::type).containsOnly("log");
            await().atMost(Duration.ofSeconds(5)).until(() -> logRequests(name) > served && podLogs.following() == 0);

            KafkaRecords.send(kafka, Topics.JOB_STATE, id.toString(), new EventSerializer(),
                    List.of(StreamsTest.state(id, JobStatus.SUCCEEDED)));
            for (Event event = stream.next(); event != null; event = stream.next()) {
                events.add(event);
            }
            assertThat(events).extracting(Event::type).containsExactly("log", "log", "log", "succeeded");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> podLogs.jobs() == 0);
    }

    // --- the test as the worker and the kubelet ---

    private void servePod(UUID job, String name, String log) {
        Map<String, String> labels = new HashMap<>(PodLogFollower.selector(job));
        labels.put("aegis.io/attempt", "1");
        labels.put("aegis.io/step", "search");
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("tool").withImage("ncbi/blast:2.12.0").endContainer().endSpec()
                .build();
        server().expect().get().withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + name
                + "/log?pretty=false&container=tool&timestamps=true&follow=true").andReturn(200, log).always();
        client.pods().inNamespace(NAMESPACE).resource(pod).create();
        client.pods().inNamespace(NAMESPACE).withName(name).editStatus(current -> new PodBuilder(current)
                .withNewStatus().withPhase("Succeeded").addNewContainerStatus().withName("tool").withNewState()
                .withNewTerminated().withExitCode(0).withReason("Completed").endTerminated().endState()
                .endContainerStatus().endStatus().build());
    }

    private int logRequestsSoFar;

    /** How often the pod's log has been asked for so far. */
    private synchronized int logRequests(String pod) throws InterruptedException {
        RecordedRequest request;
        while ((request = server().takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            if (request.getPath().startsWith("/api/v1/namespaces/" + NAMESPACE + "/pods/" + pod + "/log?")) {
                logRequestsSoFar++;
            }
        }
        return logRequestsSoFar;
    }

    private static KubernetesMockServer server() {
        return KubernetesMockResource.server();
    }
}
