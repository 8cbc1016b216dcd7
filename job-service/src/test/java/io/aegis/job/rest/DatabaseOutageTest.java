package io.aegis.job.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.contracts.http.JobSubmission;
import io.aegis.events.JobRequestedEvent;
import io.aegis.events.Topics;
import io.aegis.events.kafka.JobRequestedDeserializer;
import io.aegis.testing.DatabaseRelayResource;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
import io.aegis.testing.TcpRelay;
import io.aegis.testing.TestCallers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL away while job-service runs: the datasource goes through a relay
 * ({@link DatabaseRelayResource}, global, so JobApiTest and FairQueueTest run through it too, in the
 * same application), which the test cuts and restores.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(value = DatabaseRelayResource.class, scope = TestResourceScope.GLOBAL)
class DatabaseOutageTest {

    private static final String FASTA = ">q1\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ\n";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @ConfigProperty(name = "aegis.store.root")
    Path storeRoot;

    private static Response submit(String user) {
        JobSubmission submission = new JobSubmission("outage", "q.fasta", "blast", "demo",
                Map.of("program", "blastp"), FASTA, 1, 33, "v1", false);
        return given().header(AegisHeaders.IDENTITY, TestCallers.identity(user)).contentType(ContentType.JSON)
                .body(submission).post("/api/v1/jobs");
    }

    private static Response get(String user, String path) {
        return given().header(AegisHeaders.IDENTITY, TestCallers.identity(user)).get(path);
    }

    private static void unavailable(Response response) {
        response.then().statusCode(503).contentType("application/problem+json").header("Retry-After", "5")
                .body("code", equalTo("SERVICE_UNAVAILABLE")).body("status", equalTo(503));
    }

    private Set<Path> jobFolders() throws IOException {
        Path jobs = storeRoot.resolve("jobs");
        if (!Files.isDirectory(jobs)) {
            return Set.of();
        }
        try (Stream<Path> folders = Files.list(jobs)) {
            return folders.collect(Collectors.toSet());
        }
    }

    @Test
    void withPostgresqlAwayASubmitAndReadsAnswer503WithRetryAfterAndOnceItIsBackNothingWasHalfWritten()
            throws IOException {
        TcpRelay relay = DatabaseRelayResource.relay();
        String user = "outage-" + UUID.randomUUID();
        String before = submit(user).then().statusCode(202).extract().path("id");
        assertThat(relay.relayed()).as("the service reaches PostgreSQL through the relay").isPositive();
        Set<Path> folders = jobFolders();

        relay.cut();
        try {
            unavailable(submit(user));
            unavailable(get(user, "/api/v1/jobs/" + before));
            unavailable(get(user, "/api/v1/jobs"));
            unavailable(given().header(AegisHeaders.IDENTITY, TestCallers.identity(user))
                    .post("/api/v1/jobs/" + before + "/cancel"));
            assertThat(jobFolders()).as("no input is left of a submit that was refused").isEqualTo(folders);
        } finally {
            relay.restore();
        }

        // the pool connects again by itself: no restart, no request of the outage repeated by the service
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> get(user, "/api/v1/jobs/" + before).then().statusCode(200));
        String after = submit(user).then().statusCode(202).extract().path("id");
        List<String> history = get(user, "/api/v1/jobs").then().statusCode(200).extract().path("items.id");
        assertThat(history).as("the refused submit stored nothing").containsExactly(after, before);
        assertThat(KafkaRecords.read(kafka, Topics.JOB_REQUESTED, after, new JobRequestedDeserializer(),
                read -> !read.isEmpty(), Duration.ofSeconds(20))).extracting(JobRequestedEvent::jobId)
                .as("the job submitted after the outage goes to the workers").containsExactly(UUID.fromString(after));
        for (String id : List.of(before, after)) {
            given().header(AegisHeaders.IDENTITY, TestCallers.identity(user)).post("/api/v1/jobs/" + id + "/cancel")
                    .then().statusCode(200);
        }
    }
}
