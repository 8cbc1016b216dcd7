package io.aegis.job.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.contracts.http.JobSubmission;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.StepStatus;
import io.aegis.events.Steps;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.testing.DatabaseRelayResource;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.KafkaRecords;
import io.aegis.testing.TcpRelay;
import io.aegis.testing.TestCallers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A worker's reports reach Kafka while PostgreSQL is away: they wait for the database and are applied
 * once it is back, however long it was away. (They used to be tried for about three seconds each and
 * then dropped: a job whose last report was dropped stayed running with nobody on it.) The datasource
 * goes through {@link DatabaseRelayResource}'s relay, as in {@link DatabaseOutageTest}, in the same
 * application.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(value = DatabaseRelayResource.class, scope = TestResourceScope.GLOBAL)
class ProgressDuringDatabaseOutageTest {

    /** Longer than both reports were tried before, one after the other: five retries, at most about 4.7 s, each. */
    private static final Duration OUTAGE = Duration.ofSeconds(12);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void aJobsReportsSentWhileTheDatabaseIsAwayAreAppliedOnceItIsBackNoneDropped() throws Exception {
        String user = "progress-outage-" + UUID.randomUUID();
        JobSubmission submission = new JobSubmission("progress-outage", "q.fasta", "blast", "demo",
                Map.of("program", "blastp"), ">q1\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ\n", 1, 33, "v1", false);
        String id = given().header(AegisHeaders.IDENTITY, TestCallers.identity(user)).contentType(ContentType.JSON)
                .body(submission).post("/api/v1/jobs").then().statusCode(202).extract().path("id");
        UUID job = UUID.fromString(id);

        TcpRelay relay = DatabaseRelayResource.relay();
        relay.cut();
        try {
            KafkaRecords.send(kafka, Topics.JOB_PROGRESS, id, new EventSerializer(), List.of(
                    report(job, 1, Steps.SEARCH, StepStatus.RUNNING, JobStatus.RUNNING),
                    report(job, 2, Steps.FINALIZE, StepStatus.COMPLETED, JobStatus.SUCCEEDED)));
            // the outage lasts: the consumer holds the first report until the database is back
            Thread.sleep(OUTAGE.toMillis());
        } finally {
            relay.restore();
        }

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                "SUCCEEDED".equals(given().header(AegisHeaders.IDENTITY, TestCallers.identity(user))
                        .get("/api/v1/jobs/" + id).path("status")));
    }

    private static JobProgressEvent report(UUID job, long seq, String step, StepStatus stepStatus, JobStatus status) {
        return new JobProgressEvent(JobProgressEvent.SCHEMA, job, 1, seq, step, stepStatus,
                status == JobStatus.SUCCEEDED ? 1 : 0, 1, status, null, null, null, false, "test-worker", Instant.now());
    }
}
