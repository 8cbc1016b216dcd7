package io.aegis.logstream.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aegis.contracts.http.AegisHeaders;
import io.aegis.events.EventJson;
import io.aegis.events.JobLogEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.LogStream;
import io.aegis.events.Steps;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.kubernetes.PodLogFollower;
import io.aegis.logstream.kubernetes.KubernetesMockResource;
import io.aegis.logstream.kubernetes.PodLogs;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
import io.aegis.testing.KubernetesApiCalls.Rule;
import io.aegis.testing.KubernetesApiCalls;
import io.aegis.testing.SseClient.Connection;
import io.aegis.testing.SseClient.Event;
import io.aegis.testing.SseClient;
import io.aegis.testing.TestCallers;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Pod logs in a job's stream, with the service pointed at fabric8's mock API server: the test
 * makes the job's pod as the worker's Kubernetes executor would, and serves its log. Every request
 * the service makes to the API server is recorded, and the last test holds the Helm chart's Role
 * for the service against them.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(JobServiceStandIn.class)
@WithTestResource(KubernetesMockResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PodLogsStreamTest {

    private static final String NAMESPACE = KubernetesMockResource.NAMESPACE;

    /** The permission each request the service made to the API server needs. */
    private static final Set<Rule> CALLS = new ConcurrentSkipListSet<>();
    /** How often the service asked for each pod's log. */
    private static final Map<String, Integer> LOG_REQUESTS = new ConcurrentHashMap<>();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @TestHTTPResource("/api/v1/jobs/")
    URI jobs;

    @Inject
    PodLogs podLogs;

    @Test
    void aPodsLinesReachTheJobsStreamOnceEachAsLogEventsFromPodSlashContainer() throws Exception {
        UUID id = JobServiceStandIn.job("grace", JobStatus.RUNNING);
        String name = "aegis-" + id.toString().substring(0, 8) + "-search-1-x7k2p";
        try (Connection stream = SseClient.open(jobs.resolve(id + "/events"), Map.of(AegisHeaders.IDENTITY, TestCallers.identity("grace")))) {
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
            assertThat(lines).extracting(line -> line.path("sourceLine").asLong()).containsExactly(0L, 1L, 2L);
            assertThat(lines.getFirst().path("step").asText()).isEqualTo("search");
            assertThat(lines.getFirst().path("attempt").asInt()).isEqualTo(1);
            assertThat(lines.getFirst().path("stream").asText()).isEqualTo("stdout");
        }
        // the last reader gone, the pod is no longer followed
        await().atMost(Duration.ofSeconds(5)).until(() -> podLogs.jobs() == 0 && podLogs.following() == 0);

        // a new reader follows the pod again from the start: nothing reaches the buffer twice
        int served = logRequests(name);
        try (Connection stream = SseClient.open(jobs.resolve(id + "/events"), Map.of(AegisHeaders.IDENTITY, TestCallers.identity("grace")))) {
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
            assertThat(events).extracting(Event::type).containsExactly("log", "log", "log", "succeeded", "end");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> podLogs.jobs() == 0);
    }

    /**
     * The worker publishes every line of its pods on Kafka with its index in its container's log, and
     * this service follows the same pods while a stream is open: whichever way a line comes first, the
     * stream shows it once.
     */
    @Test
    void aPodsLineThatComesBothOverKafkaAndByFollowingThePodIsInTheStreamOnce() throws Exception {
        UUID id = JobServiceStandIn.job("ivan", JobStatus.RUNNING);
        String name = "aegis-" + id.toString().substring(0, 8) + "-search-1-k4fk4";
        String source = name + "/tool";
        try (Connection stream = SseClient.open(jobs.resolve(id + "/events"), Map.of(AegisHeaders.IDENTITY, TestCallers.identity("ivan")))) {
            assertThat(stream.next().type()).isEqualTo("snapshot");
            await().atMost(Duration.ofSeconds(5)).until(() -> podLogs.jobs() == 1);
            List<JsonNode> lines = new ArrayList<>();

            // the worker's copies of the first two lines come first
            publish(id, 11, source, "Searching 3 queries", 0L);
            publish(id, 12, source, "Query_1 done", 1L);
            lines.add(nextLog(stream));
            lines.add(nextLog(stream));

            // then the pod is followed here: of its three lines only the third is new
            servePod(id, name, """
                    2026-12-02T10:00:00Z Searching 3 queries
                    2026-12-02T10:00:01Z Query_1 done
                    2026-12-02T10:00:02Z Query_2 done
                    """);
            lines.add(nextLog(stream));
            await().atMost(Duration.ofSeconds(5)).until(() -> logRequests(name) > 0 && podLogs.following() == 0);

            // and the worker's copy of the third comes late, before a line of the worker's own
            publish(id, 13, source, "Query_2 done", 2L);
            publish(id, 14, "worker", "batch 1/1 done", null);
            lines.add(nextLog(stream));

            KafkaRecords.send(kafka, Topics.JOB_STATE, id.toString(), new EventSerializer(),
                    List.of(StreamsTest.state(id, JobStatus.SUCCEEDED)));
            List<Event> rest = new ArrayList<>();
            for (Event event = stream.next(); event != null; event = stream.next()) {
                rest.add(event);
            }

            assertThat(lines).extracting(line -> line.path("line").asText())
                    .containsExactly("Searching 3 queries", "Query_1 done", "Query_2 done", "batch 1/1 done");
            assertThat(lines).extracting(line -> line.path("source").asText())
                    .containsExactly(source, source, source, "worker");
            assertThat(rest).extracting(Event::type).containsExactly("succeeded", "end");
        }
    }

    /**
     * What the chart grants the service's account is exactly what following pod logs calls: a verb
     * missing would be a 403 in a cluster, a verb too many more privilege than it needs.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void theChartsRoleForTheServiceGrantsExactlyTheKubernetesCallsOfTheseStreams() throws Exception {
        drainRequests();
        assertThat(CALLS).as("the calls recorded by the other tests of this class (run the whole class)").isNotEmpty();
        assertThat(KubernetesApiCalls.chartRole("log-stream-service", Map.of("logStreamService.podLogs.enabled", "true")))
                .as("log-stream-service's Role in the chart (actual) against the calls the service made (expected)")
                .containsExactlyInAnyOrderElementsOf(CALLS);
    }

    // --- the test as the worker and the kubelet ---

    private void publish(UUID job, long seq, String source, String line, Long sourceLine) {
        KafkaRecords.send(kafka, Topics.JOB_LOG, job.toString(), new EventSerializer(), List.of(new JobLogEvent(
                JobLogEvent.SCHEMA, job, 1, seq, Steps.SEARCH, LogStream.STDOUT, source, line, Instant.now(), sourceLine)));
    }

    private static JsonNode nextLog(Connection stream) {
        Event event = stream.next();
        assertThat(event.type()).isEqualTo("log");
        return EventJson.decode(event.data(), JsonNode.class);
    }

    private void servePod(UUID job, String name, String log) {
        Map<String, String> labels = new HashMap<>(PodLogFollower.jobPods(job));
        labels.put("aegis.io/attempt", "1");
        labels.put("aegis.io/step", "search");
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("tool").withImage("ncbi/blast:2.12.0").endContainer().endSpec()
                .build();
        server().expect().get().withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + name
                + "/log?pretty=false&container=tool&timestamps=true&follow=true").andReturn(200, log).always();
        KubernetesClient cluster = KubernetesMockResource.testClient();
        cluster.pods().inNamespace(NAMESPACE).resource(pod).create();
        cluster.pods().inNamespace(NAMESPACE).withName(name).editStatus(current -> new PodBuilder(current)
                .withNewStatus().withPhase("Succeeded").addNewContainerStatus().withName("tool").withNewState()
                .withNewTerminated().withExitCode(0).withReason("Completed").endTerminated().endState()
                .endContainerStatus().endStatus().build());
    }

    /** How often the service has asked for the pod's log so far. */
    private static int logRequests(String pod) throws InterruptedException {
        drainRequests();
        return LOG_REQUESTS.getOrDefault(pod, 0);
    }

    /** Takes the requests the server has recorded: the service's are kept as the permissions they need. */
    private static synchronized void drainRequests() throws InterruptedException {
        RecordedRequest request;
        while ((request = server().takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            if (KubernetesMockResource.TEST_AGENT.equals(request.getHeader("User-Agent"))) {
                continue;
            }
            Rule rule = KubernetesApiCalls.rule(request.getMethod(), request.getPath());
            CALLS.add(rule);
            if (rule.resource().equals("pods/log")) {
                LOG_REQUESTS.merge(request.getPath().split("/")[6], 1, Integer::sum);
            }
        }
    }

    private static KubernetesMockServer server() {
        return KubernetesMockResource.server();
    }
}
