package io.aegis.artifact.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aegis.artifact.service.JobServiceStandIn;
import io.aegis.events.JobStateEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.StoreLayout;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
import io.aegis.testing.PrometheusScrape;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * artifact-service's metrics as Prometheus scrapes them from the management port, after real
 * finalizations: terminal events through the broker, artifacts built into the store.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(value = JobServiceStandIn.class, scope = TestResourceScope.GLOBAL)
class ArtifactMetricsTest {

    private static final String HITS = "q1\ts1\t99.0\t50\t0\t0\t1\t50\t1\t50\t1e-30\t100\n";
    private static final String HITS_JSON = "{\"columns\": [\"qseqid\", \"sseqid\", \"pident\", \"length\", \"mismatch\","
            + " \"gapopen\", \"qstart\", \"qend\", \"sstart\", \"send\", \"evalue\", \"bitscore\"], \"queries\": []}";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @ConfigProperty(name = "aegis.store.root")
    Path storeRoot;

    @Inject
    FinalizationGauges gauges;

    @Inject
    DataSource dataSource;

    @Test
    void aFinalizationThatSucceedsIsCountedDoneWithEachPartTimed() throws Exception {
        PrometheusScrape before = PrometheusScrape.of(metrics);
        UUID job = finishedJob(HITS);
        publishTerminal(job);

        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> finalizations(PrometheusScrape.of(metrics),
                "done") == finalizations(before, "done") + 1);
        PrometheusScrape after = PrometheusScrape.of(metrics);
        for (String part : List.of("hits.tsv", "summary.json", "hits", "manifest.json")) {
            assertThat(builds(after, part, "built")).as("part %s", part).isEqualTo(builds(before, part, "built") + 1);
        }
        assertThat(after.value("aegis_artifact_build_duration_seconds_bucket", "part", "hits", "outcome", "built",
                "le", "+Inf")).isPresent();
    }

    @Test
    void aPartThatKeepsFailingIsRetriedThenTheFinalizationCountsAsFailed() throws Exception {
        PrometheusScrape before = PrometheusScrape.of(metrics);
        UUID job = finishedJob("q1\ts1\tnot-a-number\t50\t0\t0\t1\t50\t1\t50\t1e-30\t100\n");
        publishTerminal(job);

        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> finalizations(PrometheusScrape.of(metrics),
                "failed") == finalizations(before, "failed") + 1);
        PrometheusScrape after = PrometheusScrape.of(metrics);
        // the test profile allows 3 attempts: 2 retried, the third fails for good, the hit table failing each time
        assertThat(finalizations(after, "retried")).isEqualTo(finalizations(before, "retried") + 2);
        assertThat(builds(after, "hits", "failed")).isEqualTo(builds(before, "hits", "failed") + 3);
    }

    @Test
    void theBacklogCountsFinalizationsWaitingForTheirNextAttempt() throws Exception {
        gauges.refresh().await().atMost(WAIT);
        double waiting = backlog(PrometheusScrape.of(metrics), "waiting");
        UUID job = UUID.randomUUID();
        execute("INSERT INTO artifacts.finalization (job_id, owner, job_status, state, attempts, next_attempt_at, "
                + "created_at, updated_at) VALUES (?, 'metrics', 'SUCCEEDED', 'pending', 1, now() + interval '1 hour', "
                + "now(), now())", job);
        try {
            gauges.refresh().await().atMost(WAIT);
            PrometheusScrape scrape = PrometheusScrape.of(metrics);
            assertThat(backlog(scrape, "waiting")).isEqualTo(waiting + 1);
            assertThat(scrape.value("aegis_finalizations_backlog", "state", "due")).isPresent();
            assertThat(scrape.value("aegis_finalizations_backlog", "state", "building")).isPresent();
            assertThat(scrape.value("aegis_finalizations_oldest_due_age_seconds")).isPresent();
        } finally {
            execute("DELETE FROM artifacts.finalization WHERE job_id = ?", job);
        }
        gauges.refresh().await().atMost(WAIT);
        assertThat(backlog(PrometheusScrape.of(metrics), "waiting")).isEqualTo(waiting);
    }

    @Test
    void httpJvmAndKafkaConsumerMetricsAreThereAndTheServicePortHasNone() {
        await().atMost(WAIT).untilAsserted(() -> {
            PrometheusScrape scrape = PrometheusScrape.of(metrics);
            assertThat(scrape.sum("jvm_memory_used_bytes")).isPositive();
            assertThat(scrape.samples("kafka_consumer_fetch_manager_records_lag_max", "client_id", "kafka-consumer-job-state"))
                    .as(scrape.text()).isNotEmpty();
        });
        given().get("/api/v1/usage").then().statusCode(401);
        assertThat(PrometheusScrape.of(metrics).sum("http_server_requests_seconds_count", "uri", "/api/v1/usage",
                "status", "401")).isPositive();
        given().get("/q/metrics").then().statusCode(404);
        given().get("/q/health/live").then().statusCode(200);
    }

    private static double finalizations(PrometheusScrape scrape, String outcome) {
        return scrape.valueOrZero("aegis_finalizations_total", "outcome", outcome);
    }

    private static double builds(PrometheusScrape scrape, String part, String outcome) {
        return scrape.valueOrZero("aegis_artifact_build_duration_seconds_count", "part", part, "outcome", outcome);
    }

    private static double backlog(PrometheusScrape scrape, String state) {
        return scrape.value("aegis_finalizations_backlog", "state", state).orElseThrow();
    }

    private UUID finishedJob(String hits) throws Exception {
        UUID job = UUID.randomUUID();
        StoreLayout store = new StoreLayout(storeRoot);
        Files.createDirectories(store.results(job));
        Files.writeString(store.results(job).resolve("hits.tsv"), hits);
        Files.writeString(store.results(job).resolve("hits.json"), HITS_JSON);
        Files.writeString(store.results(job).resolve("run.log"), "worker: done\n");
        Files.writeString(store.input(job), ">q1\nMKT\n");
        // a log line already spooled, as if the log consumer had caught up before the job ended
        Path logs = Files.createDirectories(store.logs(job));
        Files.writeString(logs.resolve("spool.tsv"), "1\t1\t2030-01-01T10:00:00Z\tstdout\tworker\tsearch\tsearching\n");
        return job;
    }

    private void publishTerminal(UUID job) {
        KafkaRecords.send(kafka, Topics.JOB_STATE, job.toString(), new EventSerializer(), List.of(
                new JobStateEvent(1, job, "alice", JobStatus.SUCCEEDED, "finalize", 1, 1, null, null, 1, 9, null,
                        Instant.now())));
    }

    private void execute(String sql, UUID job) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, job);
            statement.executeUpdate();
        }
    }
}
