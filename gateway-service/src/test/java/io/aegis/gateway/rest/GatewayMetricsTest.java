package io.aegis.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.service.Identity;
import io.aegis.testing.PrometheusScrape;
import io.aegis.testing.RedisServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The gateway's metrics: on the management port only, never on the public one, and its requests
 * counted by route, not by the job a path names.
 */
@QuarkusTest
@WithTestResource(BackendStandIn.class)
@WithTestResource(RedisServerResource.class)
class GatewayMetricsTest {

    private static final String JOB_ROUTE = "/api/v1/jobs/{id}";

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Inject
    Identity identity;

    @Test
    void thePublicPortAnswersNotFoundForMetricsWithOrWithoutAnIdentity() {
        given().get("/q/metrics").then().statusCode(404);
        given().auth().oauth2(token("alice")).get("/q/metrics").then().statusCode(404);
        // and the probes keep their place on it
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void proxiedRequestsAreCountedByTheirRouteNotByTheJobTheyName() {
        PrometheusScrape before = PrometheusScrape.of(metrics);
        String job = UUID.randomUUID().toString();
        int status = given().auth().oauth2(token("alice")).get("/api/v1/jobs/" + job).then().extract().statusCode();

        PrometheusScrape after = PrometheusScrape.of(metrics);
        String[] route = {"method", "GET", "uri", JOB_ROUTE, "status", Integer.toString(status)};
        assertThat(after.valueOrZero("http_server_requests_seconds_count", route)).as(after.text())
                .isEqualTo(before.valueOrZero("http_server_requests_seconds_count", route) + 1);
        assertThat(after.samples("http_server_requests_seconds_count"))
                .noneMatch(sample -> sample.labels().getOrDefault("uri", "").contains(job));
        assertThat(after.sum("jvm_memory_used_bytes")).isPositive();
        assertThat(after.sum("jvm_threads_live_threads")).isPositive();
    }

    private String token(String user) {
        return identity.tokens().orElseThrow().issue(user, Duration.ofMinutes(5), Instant.now());
    }
}
