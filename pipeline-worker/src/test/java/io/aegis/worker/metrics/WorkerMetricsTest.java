package io.aegis.worker.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.events.JobRequestedEvent;
import io.aegis.events.Steps;
import io.aegis.events.StoreLayout;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.PrometheusScrape;
import io.aegis.testing.TestCallers;
import io.aegis.worker.service.Cancellation;
import io.aegis.worker.service.LocalToolExecutor;
import io.aegis.worker.service.ToolExecutor;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The worker's metrics as Prometheus scrapes them from the management port, after real jobs (real
 * BLAST, and the faults pipeline's tool that hangs) and a tool that burns CPU.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class WorkerMetricsTest {

    private static final Path QUERIES = Path.of("src/test/resources/queries.fasta");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @ConfigProperty(name = "aegis.store.root")
    Path storeRoot;

    @Inject
    LocalToolExecutor tools;

    @Test
    void aBlastJobTimesEachOfItsStepsAndCountsBlastpsCpu() throws Exception {
        PrometheusScrape before = PrometheusScrape.of(metrics);
        UUID job = UUID.randomUUID();
        request(job, "blast", Files.readString(QUERIES), Map.of("program", "blastp"));

        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> count(PrometheusScrape.of(metrics),
                "blast", Steps.FINALIZE, "completed") == count(before, "blast", Steps.FINALIZE, "completed") + 1);
        PrometheusScrape after = PrometheusScrape.of(metrics);
        for (String step : Steps.BLAST) {
            assertThat(count(after, "blast", step, "completed")).as("step %s", step)
                    .isEqualTo(count(before, "blast", step, "completed") + 1);
        }
        assertThat(after.value("aegis_worker_step_duration_seconds_bucket", "pipeline", "blast", "step", Steps.SEARCH,
                "outcome", "completed", "le", "+Inf")).isPresent();
        // each batch's blastp is counted (its CPU may round to nothing on the tests' tiny database)
        assertThat(after.value("aegis_worker_tool_cpu_seconds_total", "program", "blastp", "step", Steps.SEARCH))
                .as(after.text()).isPresent();
        assertThat(after.valueOrZero("aegis_worker_tool_cpu_seconds_total", "program", "blastp", "step", Steps.SEARCH))
                .isGreaterThanOrEqualTo(before.valueOrZero("aegis_worker_tool_cpu_seconds_total", "program", "blastp",
                        "step", Steps.SEARCH));
        assertThat(after.valueOrZero("aegis_worker_attempts_running", "pipeline", "blast")).isZero();
    }

    @Test
    void aHangingToolShowsAsARunningAttemptUntilItsStepFailsOnItsTimeout() throws Exception {
        PrometheusScrape before = PrometheusScrape.of(metrics);
        UUID job = UUID.randomUUID();
        request(job, "faults", ">q1\nMKTAYIAKQRQISFVKSHFSRQ\n", Map.of("behaviour", "hang"));

        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> PrometheusScrape.of(metrics)
                .valueOrZero("aegis_worker_attempts_running", "pipeline", "faults") == 1);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> count(PrometheusScrape.of(metrics),
                "faults", Steps.SEARCH, "failed") == count(before, "faults", Steps.SEARCH, "failed") + 1);
        PrometheusScrape after = PrometheusScrape.of(metrics);
        assertThat(after.valueOrZero("aegis_worker_attempts_running", "pipeline", "faults")).isZero();
        // the search step ran until its 8 s timeout stopped the tool
        double searched = after.valueOrZero("aegis_worker_step_duration_seconds_sum", "pipeline", "faults", "step",
                Steps.SEARCH, "outcome", "failed") - before.valueOrZero("aegis_worker_step_duration_seconds_sum",
                "pipeline", "faults", "step", Steps.SEARCH, "outcome", "failed");
        assertThat(searched).isGreaterThanOrEqualTo(8);
    }

    @Test
    void aToolsCpuTimeIsCountedByProgramAndStep() throws Exception {
        double before = PrometheusScrape.of(metrics).valueOrZero("aegis_worker_tool_cpu_seconds_total",
                "program", "sh", "step", "cpu-probe");
        Path work = Files.createTempDirectory("cpu-probe");
        // the shell's own arithmetic, in its own process: CPU time of the tool itself, no children
        ToolExecutor.Result result = tools.run(ToolExecutor.Task.standalone("cpu-probe", List.of("sh", "-c",
                        "i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done"), work, Duration.ofMinutes(1)),
                line -> { }, Cancellation.NONE);
        assertThat(result.exitCode()).isZero();

        double after = PrometheusScrape.of(metrics).valueOrZero("aegis_worker_tool_cpu_seconds_total",
                "program", "sh", "step", "cpu-probe");
        assertThat(after - before).isGreaterThan(0.05);
    }

    @Test
    void httpJvmAndKafkaConsumerMetricsAreThereAndTheServicePortHasNone() {
        given().header(AegisHeaders.IDENTITY, TestCallers.nobody()).get("/api/v1/pipelines").then().statusCode(200);
        await().atMost(WAIT).untilAsserted(() -> {
            PrometheusScrape scrape = PrometheusScrape.of(metrics);
            assertThat(scrape.sum("http_server_requests_seconds_count", "uri", "/api/v1/pipelines")).isPositive();
            assertThat(scrape.sum("jvm_memory_used_bytes")).isPositive();
            assertThat(scrape.samples("kafka_consumer_fetch_manager_records_lag_max", "client_id", "kafka-consumer-job-requested"))
                    .as(scrape.text()).isNotEmpty();
        });
        given().get("/q/metrics").then().statusCode(404);
        given().get("/q/health/live").then().statusCode(200);
    }

    private static double count(PrometheusScrape scrape, String pipeline, String step, String outcome) {
        return scrape.valueOrZero("aegis_worker_step_duration_seconds_count", "pipeline", pipeline, "step", step,
                "outcome", outcome);
    }

    private void request(UUID job, String pipeline, String fasta, Map<String, Object> params) throws Exception {
        StoreLayout store = new StoreLayout(storeRoot);
        Files.createDirectories(store.jobDir(job));
        Files.writeString(store.input(job), fasta);
        int count = (int) fasta.lines().filter(l -> l.startsWith(">")).count();
        try (var producer = new KafkaProducer<String, Object>(Map.of("bootstrap.servers", kafka),
                new StringSerializer(), new EventSerializer())) {
            producer.send(new ProducerRecord<>(Topics.JOB_REQUESTED, job.toString(), new JobRequestedEvent(
                    JobRequestedEvent.SCHEMA, job, "alice", pipeline, "testdb", params, StoreLayout.inputRef(job), count,
                    1, Instant.now()))).get();
        }
    }
}
