package io.aegis.logstream.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.events.JobLogEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.LogStream;
import io.aegis.events.Steps;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
import io.aegis.testing.PrometheusScrape;
import io.aegis.testing.SseClient;
import io.aegis.testing.SseClient.Connection;
import io.aegis.testing.TestCallers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * log-stream-service's metrics as Prometheus scrapes them from the management port: a live stream
 * is counted while open, the events written to it and their delivery lag are counted, and the
 * service's own port does not serve them.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(JobServiceStandIn.class)
class StreamMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource("/api/v1/jobs/")
    URI jobs;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void anOpenStreamIsCountedWithTheLiveEventsItIsWrittenAndTheirLag() throws Exception {
        UUID id = JobServiceStandIn.job("metrics", JobStatus.RUNNING);
        PrometheusScrape before = PrometheusScrape.of(metrics);
        try (Connection stream = SseClient.open(jobs.resolve(id + "/events"),
                Map.of(AegisHeaders.IDENTITY, TestCallers.identity("metrics")))) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.next().type()).isEqualTo("snapshot");
            assertThat(PrometheusScrape.of(metrics).valueOrZero("aegis_streams_active"))
                    .isEqualTo(before.valueOrZero("aegis_streams_active") + 1);

            KafkaRecords.send(kafka, Topics.JOB_LOG, id.toString(), new EventSerializer(), IntStream.rangeClosed(1, 3)
                    .mapToObj(n -> new JobLogEvent(1, id, 1, n, Steps.SEARCH, LogStream.STDOUT, "blastp", "line " + n,
                            Instant.now())).toList());
            for (int i = 0; i < 3; i++) {
                assertThat(stream.next().type()).isEqualTo("log");
            }
            PrometheusScrape open = PrometheusScrape.of(metrics);
            assertThat(open.sum("http_server_active_connections")).as("the stream's connection").isGreaterThanOrEqualTo(1);
            // the three lines (the snapshot is the stream's start, not an event of the job's)
            assertThat(open.valueOrZero("aegis_stream_events_total"))
                    .isGreaterThanOrEqualTo(before.valueOrZero("aegis_stream_events_total") + 3);
            assertThat(open.valueOrZero("aegis_stream_delivery_lag_seconds_count"))
                    .isGreaterThanOrEqualTo(before.valueOrZero("aegis_stream_delivery_lag_seconds_count") + 3);
        }
        await().atMost(WAIT).until(() -> PrometheusScrape.of(metrics).valueOrZero("aegis_streams_active")
                == before.valueOrZero("aegis_streams_active"));
    }

    @Test
    void kafkaConsumerLagAndJvmMetricsAreThereAndTheServicePortHasNone() {
        given().get("/q/health/live").then().statusCode(200);
        await().atMost(WAIT).untilAsserted(() -> {
            PrometheusScrape scrape = PrometheusScrape.of(metrics);
            assertThat(scrape.sum("jvm_memory_used_bytes")).isPositive();
            assertThat(scrape.samples("kafka_consumer_fetch_manager_records_lag_max", "client_id", "kafka-consumer-job-log"))
                    .as(scrape.text()).isNotEmpty();
            // its one route, the event streams, is left out of the request timers (a stream lasts up to 30 min)
            assertThat(scrape.samples("http_server_requests_seconds_count", "uri", "/api/v1/jobs/{id}/events")).isEmpty();
        });
        given().get("/q/metrics").then().statusCode(404);
    }
}
