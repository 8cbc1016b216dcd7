package io.aegis.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.contracts.redis.StreamTickets;
import io.aegis.events.EventJson;
import io.aegis.gateway.service.Identity;
import io.aegis.testing.Ports;
import io.aegis.testing.RedisServerResource;
import io.aegis.testing.SseClient;
import io.aegis.testing.TestCallers;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stream tickets: issued to a job's owner, kept in Redis as log-stream-service expects, and the one way past the gateway without a bearer token. */
@QuarkusTest
@WithTestResource(BackendStandIn.class)
@WithTestResource(RedisServerResource.class)
class StreamTicketsTest {

    @Inject
    Identity identity;

    @Inject
    RedisDataSource redis;

    @TestHTTPResource("/")
    URI root;

    private String token(String user) {
        return identity.tokens().orElseThrow().issue(user, Duration.ofMinutes(5), Instant.now());
    }

    @BeforeEach
    void forget() {
        BackendStandIn.SEEN.clear();
        // the stand-in's streams end at once
        BackendStandIn.lastEvent = CompletableFuture.completedFuture(null);
    }

    private static UUID jobOf(String owner) {
        UUID id = UUID.randomUUID();
        BackendStandIn.OWNERS.put(id.toString(), owner);
        return id;
    }

    private List<String> ticketKeys() {
        return redis.key().keys("aegis:ticket:*");
    }

    @Test
    void theOwnerGetsATicketStoredUnderItsDigestWithItsGrantForTheTicketTtl() {
        UUID job = jobOf("alice");
        Instant before = Instant.now();
        Response response = given().auth().oauth2(token("alice")).post("/api/v1/jobs/" + job + "/stream-ticket");
        Instant after = Instant.now();

        response.then().statusCode(201).contentType("application/json").header("Cache-Control", "no-store");
        String ticket = response.path("ticket");
        Instant expiresAt = Instant.parse(response.path("expiresAt"));
        assertThat(ticket).matches("[A-Za-z0-9_-]{43}");
        assertThat(expiresAt).isBetween(before.plusSeconds(60).minusMillis(1), after.plusSeconds(60).plusMillis(1));

        String stored = redis.value(String.class).get(StreamTickets.key(ticket));
        assertThat(stored).as("the grant under the ticket's digest").isNotNull();
        assertThat(EventJson.decode(stored, StreamTickets.Grant.class))
                .isEqualTo(new StreamTickets.Grant(job, "alice", expiresAt));
        assertThat(redis.key().pttl(StreamTickets.key(ticket))).isBetween(1L, 60_000L);
        assertThat(redis.key().keys("*" + ticket + "*")).as("the ticket itself is nowhere in Redis").isEmpty();

        assertThat(BackendStandIn.SEEN).extracting(BackendStandIn.Seen::method, BackendStandIn.Seen::path,
                BackendStandIn.Seen::user).containsExactly(tuple("GET", "/api/v1/jobs/" + job, "alice"));

        String second = given().auth().oauth2(token("alice")).post("/api/v1/jobs/" + job + "/stream-ticket")
                .then().statusCode(201).extract().path("ticket");
        assertThat(second).as("every ticket is new").isNotEqualTo(ticket);
    }

    @Test
    void fiveHundredViewersAskingAtOnceAllGetTheirTickets() throws Exception {
        // far more than Redis' connections (and than a pool's default wait queue of 24): each waits its turn
        int viewers = 500;
        UUID job = jobOf("alice");
        String token = token("alice");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ask = HttpRequest.newBuilder(root.resolve("/api/v1/jobs/" + job + "/stream-ticket"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build();
        List<CompletableFuture<HttpResponse<String>>> asked = new ArrayList<>();
        for (int i = 0; i < viewers; i++) {
            asked.add(http.sendAsync(ask, HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> tickets = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> answer : asked) {
            HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            tickets.add(EventJson.decode(response.body(), StreamTicketResource.StreamTicket.class).ticket());
        }
        assertThat(tickets).hasSize(viewers);
    }

    @Test
    void anotherUsersJobOrAnUnknownJobGetsThe404OfReadingItAndNoTicket() {
        UUID alices = jobOf("alice");
        int keys = ticketKeys().size();
        for (UUID job : new UUID[] {alices, UUID.randomUUID()}) {
            given().auth().oauth2(token("bob")).get("/api/v1/jobs/" + job)
                    .then().statusCode(404).body("code", equalTo("JOB_NOT_FOUND"));
            given().auth().oauth2(token("bob")).post("/api/v1/jobs/" + job + "/stream-ticket")
                    .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("JOB_NOT_FOUND"))
                    .body("ticket", nullValue());
        }
        given().auth().oauth2(token("bob")).post("/api/v1/jobs/not-a-job/stream-ticket")
                .then().statusCode(400).body("code", equalTo("INVALID_JOB_ID"));
        assertThat(ticketKeys()).hasSize(keys);
    }

    @Test
    void askingForATicketNeedsABearerToken() {
        UUID job = jobOf("alice");
        given().post("/api/v1/jobs/" + job + "/stream-ticket")
                .then().statusCode(401).header("WWW-Authenticate", "Bearer").body("code", equalTo("UNAUTHENTICATED"));
        given().auth().oauth2("forged.token.value").post("/api/v1/jobs/" + job + "/stream-ticket").then().statusCode(401);
        assertThat(BackendStandIn.SEEN).isEmpty();
    }

    @Test
    void aStreamWithATicketAndNoBearerReachesLogStreamWithTheTicketTheCursorAndNoUser() {
        UUID job = jobOf("alice");
        String ticket = "T".repeat(43);
        // a user named by the client is never passed on
        List<SseClient.Event> events = SseClient.read(root.resolve("/api/v1/jobs/" + job + "/events?ticket=" + ticket + "&lastEventId=7"),
                Map.of(AegisHeaders.IDENTITY, TestCallers.identity("alice"), "Last-Event-ID", "7"));
        assertThat(events).extracting(SseClient.Event::type).containsExactly("snapshot", "succeeded");

        BackendStandIn.Seen seen = BackendStandIn.SEEN.getFirst();
        assertThat(seen.path()).isEqualTo("/api/v1/jobs/" + job + "/events");
        assertThat(seen.query()).isEqualTo("ticket=" + ticket + "&lastEventId=7");
        assertThat(seen.lastEventId()).isEqualTo("7");
        assertThat(seen.user()).as("no user: log-stream-service knows the caller by the ticket").isNull();
    }

    @Test
    void aStreamWithATicketAndABearerTokenStreamsAsTheCaller() {
        UUID job = jobOf("alice");
        given().auth().oauth2(token("alice")).get("/api/v1/jobs/" + job + "/events?ticket=abc").then().statusCode(200);
        assertThat(BackendStandIn.SEEN).extracting(BackendStandIn.Seen::user, BackendStandIn.Seen::query)
                .containsExactly(tuple("alice", "ticket=abc"));

        BackendStandIn.SEEN.clear();
        given().auth().oauth2("forged.token.value").get("/api/v1/jobs/" + job + "/events?ticket=abc")
                .then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        given().header("Authorization", "").get("/api/v1/jobs/" + job + "/events?ticket=abc").then().statusCode(401);
        assertThat(BackendStandIn.SEEN).isEmpty();
    }

    @Test
    void aStreamWithNeitherTicketNorBearerIsUnauthenticated() {
        UUID job = jobOf("alice");
        given().get("/api/v1/jobs/" + job + "/events").then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        given().header(AegisHeaders.IDENTITY, TestCallers.identity("alice")).get("/api/v1/jobs/" + job + "/events").then().statusCode(401);
        assertThat(BackendStandIn.SEEN).isEmpty();
    }

    @Test
    void aTicketOpensNothingButAJobsEventStream() {
        UUID job = jobOf("alice");
        String jobs = "/api/v1/jobs/" + job;
        given().post(jobs + "/stream-ticket?ticket=abc").then().statusCode(401);
        given().post(jobs + "/cancel?ticket=abc").then().statusCode(401);
        given().post(jobs + "/events?ticket=abc").then().statusCode(401);
        given().get(jobs + "?ticket=abc").then().statusCode(401);
        given().get(jobs + "/execution-steps?ticket=abc").then().statusCode(401);
        given().get(jobs + "/artifacts?ticket=abc").then().statusCode(401);
        given().get(jobs + "/artifacts/hits.tsv?ticket=abc").then().statusCode(401);
        given().get("/api/v1/jobs/j1/events?ticket=abc").then().statusCode(401);
        given().get("/api/v1/jobs?ticket=abc").then().statusCode(401);
        given().get("/api/v1/databases?ticket=abc").then().statusCode(401);
        assertThat(BackendStandIn.SEEN).isEmpty();
    }

    @Test
    void aQueryThatCannotBeDecodedIsRefusedNotPassedOn() throws IOException {
        UUID job = jobOf("alice");
        assertThat(GatewayTest.rawGet(root, "/api/v1/jobs?ticket=%zz")).startsWith("HTTP/1.1 400");
        assertThat(GatewayTest.rawGet(root, "/api/v1/jobs/" + job + "/events?ticket=%zz")).startsWith("HTTP/1.1 400");
        assertThat(GatewayTest.rawGet(root, "/api/v1/jobs/" + job + "/events?x=%zz&ticket=abc")).startsWith("HTTP/1.1 400");
        assertThat(BackendStandIn.SEEN).isEmpty();
    }

    /** A ticket is judged on the path the router matches, dot segments resolved (see {@link GatewayTest#rawGet}). */
    @Test
    void aTicketIsJudgedOnThePathTheRouterMatches() throws IOException {
        UUID job = jobOf("alice");
        assertThat(GatewayTest.rawGet(root, "/api/v1/jobs/" + job + "/events/../../" + job + "?ticket=abc")).startsWith("HTTP/1.1 401");
        assertThat(BackendStandIn.SEEN).isEmpty();

        assertThat(GatewayTest.rawGet(root, "/api/v1/x/../jobs/" + job + "/events?ticket=abc")).startsWith("HTTP/1.1 200");
        assertThat(BackendStandIn.SEEN).extracting(BackendStandIn.Seen::path, BackendStandIn.Seen::user)
                .containsExactly(tuple("/api/v1/jobs/" + job + "/events", null));
    }

    @Test
    void whileRedisIsDownTicketsAreRefusedWith503AndTheGatewayIsNotReady() throws Exception {
        UUID job = jobOf("alice");
        given().get("/q/health/ready").then().statusCode(200);
        URI redisUrl = URI.create(RedisServerResource.server().url());
        CompletableFuture<Void> outage = CompletableFuture.runAsync(() -> RedisServerResource.server().outage(Duration.ofSeconds(4)));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> !Ports.listening(redisUrl.getHost(), redisUrl.getPort()));

            given().auth().oauth2(token("alice")).post("/api/v1/jobs/" + job + "/stream-ticket")
                    .then().statusCode(503).contentType("application/problem+json").header("Retry-After", "5")
                    .body("code", equalTo("STREAMS_UNAVAILABLE")).body("poll", equalTo("/api/v1/jobs/" + job));
            Response ready = given().get("/q/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(redisCheck(ready.body().jsonPath())).isEqualTo("DOWN");
        } finally {
            outage.get(30, TimeUnit.SECONDS);
        }

        // Redis back (empty): tickets are issued again, and the gateway is ready
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                given().auth().oauth2(token("alice")).post("/api/v1/jobs/" + job + "/stream-ticket").then().statusCode(201));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        assertThat(redisCheck(given().get("/q/health/ready").body().jsonPath())).isEqualTo("UP");
    }

    private static String redisCheck(JsonPath health) {
        List<Map<String, Object>> checks = health.getList("checks");
        return checks.stream().filter(check -> String.valueOf(check.get("name")).toLowerCase().contains("redis"))
                .map(check -> String.valueOf(check.get("status"))).findFirst().orElse("no Redis check in " + checks);
    }
}
