package io.aegis.job.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.contracts.http.JobSubmission;
import io.aegis.testing.KafkaBroker;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.PrometheusScrape;
import io.aegis.testing.TestCallers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * job-service's metrics as Prometheus scrapes them from the management port: each figure moves
 * when the work that makes it happens, and the service's own port does not serve them.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class JobMetricsTest {

    private static final String FASTA = ">q1\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ\n";

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Inject
    JobGauges gauges;

    @Test
    void aSubmittedThenCancelledJobIsCountedTimedAndLeavesTheQueue() {
        String user = "metrics-" + UUID.randomUUID();
        gauges.refresh().await().atMost(Duration.ofSeconds(30));
        PrometheusScrape before = PrometheusScrape.of(metrics);

        String id = submit(user);
        gauges.refresh().await().atMost(Duration.ofSeconds(30));
        PrometheusScrape queued = PrometheusScrape.of(metrics);

        assertThat(queued.valueOrZero("aegis_jobs_submitted_total", "pipeline", "blast"))
                .isEqualTo(before.valueOrZero("aegis_jobs_submitted_total", "pipeline", "blast") + 1);
        assertThat(queued.valueOrZero("aegis_jobs_queued", "pipeline", "blast"))
                .isEqualTo(before.valueOrZero("aegis_jobs_queued", "pipeline", "blast") + 1);
        assertThat(queued.value("aegis_jobs_queued_oldest_age_seconds", "pipeline", "blast")).isPresent();
        assertThat(queued.value("aegis_jobs_running", "pipeline", "blast")).isPresent();

        given().header(AegisHeaders.IDENTITY, TestCallers.identity(user)).post("/api/v1/jobs/" + id + "/cancel")
                .then().statusCode(200);
        gauges.refresh().await().atMost(Duration.ofSeconds(30));
        PrometheusScrape cancelled = PrometheusScrape.of(metrics);

        String[] outcome = {"pipeline", "blast", "outcome", "cancelled"};
        assertThat(cancelled.valueOrZero("aegis_jobs_finished_total", outcome))
                .isEqualTo(before.valueOrZero("aegis_jobs_finished_total", outcome) + 1);
        assertThat(cancelled.valueOrZero("aegis_job_duration_seconds_count", outcome))
                .isEqualTo(before.valueOrZero("aegis_job_duration_seconds_count", outcome) + 1);
        assertThat(cancelled.value("aegis_job_duration_seconds_bucket", "pipeline", "blast", "outcome", "cancelled",
                "le", "+Inf")).isPresent();
        assertThat(cancelled.valueOrZero("aegis_jobs_queued", "pipeline", "blast"))
                .isEqualTo(before.valueOrZero("aegis_jobs_queued", "pipeline", "blast"));
    }

    @Test
    void eventsWaitingForKafkaShowAsOutboxBacklogAndLagUntilRelayed() {
        KafkaBroker.shared().outage(() -> {
            submit("metrics-" + UUID.randomUUID());
            gauges.refresh().await().atMost(Duration.ofSeconds(30));
            PrometheusScrape waiting = PrometheusScrape.of(metrics);
            assertThat(waiting.valueOrZero("aegis_outbox_events")).as(waiting.text()).isGreaterThanOrEqualTo(1);
            assertThat(waiting.value("aegis_outbox_oldest_age_seconds")).isPresent();
        });
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            gauges.refresh().await().atMost(Duration.ofSeconds(30));
            PrometheusScrape relayed = PrometheusScrape.of(metrics);
            return relayed.valueOrZero("aegis_outbox_events") == 0
                    && relayed.valueOrZero("aegis_outbox_oldest_age_seconds") == 0;
        });
    }

    @Test
    void httpJvmAndKafkaConsumerMetricsAreThereToo() {
        submit("metrics-" + UUID.randomUUID());
        PrometheusScrape scrape = PrometheusScrape.of(metrics);
        assertThat(scrape.sum("http_server_requests_seconds_count", "method", "POST", "uri", "/api/v1/jobs",
                "status", "202")).as(scrape.text()).isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum("jvm_memory_used_bytes")).isPositive();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(PrometheusScrape.of(metrics)
                .samples("kafka_consumer_fetch_manager_records_lag_max", "client_id", "kafka-consumer-job-progress"))
                .isNotEmpty());
    }

    @Test
    void theServicePortDoesNotServeMetrics() {
        given().get("/q/metrics").then().statusCode(404);
        given().get("/q/health/ready").then().statusCode(200);
    }

    private static String submit(String user) {
        JobSubmission submission = new JobSubmission("metrics", "q.fasta", "blast", "demo", Map.of("program", "blastp"),
                FASTA, 1, 33, "v1", false);
        return given().header(AegisHeaders.IDENTITY, TestCallers.identity(user)).contentType(ContentType.JSON)
                .body(submission).when().post("/api/v1/jobs").then().statusCode(202).extract().path("id");
    }
}
