package io.aegis.artifact.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import io.aegis.artifact.service.JobServiceStandIn;
import io.aegis.contracts.http.AegisHeaders;
import io.aegis.events.JobStatus;
import io.aegis.testing.DatabaseRelayResource;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.TcpRelay;
import io.aegis.testing.TestCallers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL away while artifact-service runs: the datasource goes through a relay
 * ({@link DatabaseRelayResource}, global, so every test class of the module runs through it, in the
 * same application), which the test cuts and restores. The reads of every kind answer 503 with
 * {@code Retry-After} while it is cut, resource methods and download routes alike, and as before once
 * it is back.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(value = JobServiceStandIn.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DatabaseRelayResource.class, scope = TestResourceScope.GLOBAL)
class DatabaseOutageTest {

    private static Response get(String user, String path) {
        return given().header(AegisHeaders.IDENTITY, TestCallers.identity(user)).get(path);
    }

    private static void unavailable(Response response) {
        response.then().statusCode(503).contentType("application/problem+json").header("Retry-After", "5")
                .body("code", equalTo("SERVICE_UNAVAILABLE")).body("status", equalTo(503));
    }

    @Test
    void withPostgresqlAwayReadsAndDownloadsAnswer503WithRetryAfterAndAsBeforeOnceItIsBack() {
        TcpRelay relay = DatabaseRelayResource.relay();
        String user = "outage-" + UUID.randomUUID();
        UUID job = UUID.randomUUID();
        JobServiceStandIn.submitted(job, user, JobStatus.RUNNING, null);
        String artifacts = "/api/v1/jobs/" + job + "/artifacts";
        get(user, artifacts).then().statusCode(200).body("items.state", everyItem(equalTo("pending")));
        get(user, "/api/v1/usage").then().statusCode(200);
        get(user, artifacts + "/hits.tsv").then().statusCode(404).body("code", equalTo("ARTIFACT_NOT_FOUND"));
        assertThat(relay.relayed()).as("the service reaches PostgreSQL through the relay").isPositive();

        relay.cut();
        try {
            unavailable(get(user, artifacts));
            unavailable(get(user, "/api/v1/usage"));
            unavailable(get(user, "/api/v1/jobs/" + job + "/results/hits"));
            unavailable(get(user, artifacts + "/hits.tsv"));
            unavailable(get(user, "/api/v1/jobs/" + job + "/export"));
        } finally {
            relay.restore();
        }

        // the pool connects again by itself, no restart
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> get(user, artifacts).then().statusCode(200)
                        .body("items.state", everyItem(equalTo("pending"))));
        get(user, "/api/v1/usage").then().statusCode(200);
        get(user, artifacts + "/hits.tsv").then().statusCode(404).body("code", equalTo("ARTIFACT_NOT_FOUND"));
    }
}
