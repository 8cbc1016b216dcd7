package io.aegis.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.aegis.gateway.domain.DownloadLinks;
import io.aegis.gateway.service.DownloadLinkIssuer;
import io.aegis.gateway.service.Identity;
import io.aegis.testing.RedisServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Download links: the owner of a job gets a link to one of its artifacts or its export, and the link
 * opens that path, with GET, for its minute, as that user, without a bearer token; byte ranges still
 * work. Another user's job gets no link, and a link opens nothing else: not another path, not once
 * altered or expired.
 */
@QuarkusTest
@WithTestResource(BackendStandIn.class)
@WithTestResource(RedisServerResource.class)
class DownloadLinkRoutesTest {

    @Inject
    Identity identity;

    @Inject
    DownloadLinkIssuer issuer;

    private final String carols = UUID.randomUUID().toString();
    private final String bobs = UUID.randomUUID().toString();

    @BeforeEach
    void setUp() {
        BackendStandIn.SEEN.clear();
        for (String[] job : new String[][] {{carols, "carol"}, {bobs, "bob"}}) {
            BackendStandIn.OWNERS.put(job[0], job[1]);
            BackendStandIn.JOBS.put(job[0], new JsonObject().put("id", job[0]).put("status", "SUCCEEDED"));
            BackendStandIn.ARTIFACTS.put(job[0], new JsonArray()
                    .add(new JsonObject().put("name", "hits.xml").put("kind", "file").put("state", "ready"))
                    .add(new JsonObject().put("name", "hits.txt").put("kind", "file").put("state", "ready")));
        }
    }

    @AfterEach
    void forget() {
        for (String id : new String[] {carols, bobs}) {
            BackendStandIn.OWNERS.remove(id);
            BackendStandIn.JOBS.remove(id);
            BackendStandIn.ARTIFACTS.remove(id);
        }
    }

    private String token(String user) {
        return identity.tokens().orElseThrow().issue(user, Duration.ofMinutes(5), Instant.now());
    }

    private String link(String user, String job, String what) {
        return given().auth().oauth2(token(user)).contentType(ContentType.JSON).body(Map.of("path", what))
                .post("/api/v1/jobs/" + job + "/download-links")
                .then().statusCode(201).header("Cache-Control", "no-store")
                .body("url", startsWith("/api/v1/jobs/" + job + "/" + what + "?link="))
                .extract().path("url");
    }

    @Test
    void aLinkDownloadsTheArtifactAsItsOwnerWithoutATokenAndByteRangesStillWork() {
        String url = link("carol", carols, "artifacts/hits.xml");
        byte[] whole = given().get(url).then().statusCode(200).header("Content-Disposition", "attachment; filename=\"hits.xml\"")
                .extract().asByteArray();
        assertThat(whole).isEqualTo(BackendStandIn.XML);
        assertThat(BackendStandIn.SEEN).filteredOn(seen -> seen.path().endsWith("/artifacts/hits.xml"))
                .extracting(BackendStandIn.Seen::user).containsOnly("carol");
        // a resumed download asks the same link for the rest
        byte[] part = given().header("Range", "bytes=5-9").get(url).then().statusCode(206)
                .header("Content-Range", "bytes 5-9/" + BackendStandIn.XML.length).extract().asByteArray();
        assertThat(part).isEqualTo(java.util.Arrays.copyOfRange(BackendStandIn.XML, 5, 10));

        String export = link("carol", carols, "export");
        assertThat(given().get(export).then().statusCode(200).extract().asByteArray()).isEqualTo(BackendStandIn.EXPORT);
    }

    @Test
    void theLinksAndWhatTheyOpenAreInTheOpenApiDocument() {
        assertThat(given().get("/q/openapi").then().statusCode(200).extract().asString())
                .contains("/api/v1/jobs/{id}/download-links", "INVALID_DOWNLOAD", "/api/v1/jobs/{id}/artifacts/{name}",
                        "/api/v1/jobs/{id}/export", "on_request");
    }

    @Test
    void anotherUsersJobGetsNoLinkAndNoTokenGetsNothing() {
        given().auth().oauth2(token("carol")).contentType(ContentType.JSON).body(Map.of("path", "artifacts/hits.xml"))
                .post("/api/v1/jobs/" + bobs + "/download-links")
                .then().statusCode(404).body("code", equalTo("JOB_NOT_FOUND"));
        given().contentType(ContentType.JSON).body(Map.of("path", "artifacts/hits.xml"))
                .post("/api/v1/jobs/" + carols + "/download-links")
                .then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        for (String what : new String[] {"results/hits", "artifacts/../export", "artifacts/a%20b", "events", ""}) {
            given().auth().oauth2(token("carol")).contentType(ContentType.JSON).body(Map.of("path", what))
                    .post("/api/v1/jobs/" + carols + "/download-links")
                    .then().statusCode(400).body("code", equalTo("INVALID_DOWNLOAD"));
        }
    }

    @Test
    void aLinkOpensNoOtherPathNoOtherMethodAndNothingOnceAlteredOrExpired() {
        String url = link("carol", carols, "artifacts/hits.xml");
        String value = url.substring(url.indexOf("?link=") + "?link=".length());
        String[] parts = value.split("\\.");
        String asBob = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("bob".getBytes())
                + "." + parts[2];
        Map<String, String> refused = Map.of(
                "/api/v1/jobs/" + carols + "/artifacts/hits.txt?link=" + value, "another artifact of hers",
                "/api/v1/jobs/" + carols + "/export?link=" + value, "her export",
                "/api/v1/jobs/" + bobs + "/artifacts/hits.xml?link=" + value, "bob's artifact of that name",
                "/api/v1/jobs/" + bobs + "/artifacts/hits.xml?link=" + asBob, "bob's, the link altered to name him",
                "/api/v1/jobs/" + carols + "/artifacts/hits.xml?link=" + parts[0] + "." + parts[1] + "."
                        + (parts[2].charAt(0) == 'A' ? 'B' : 'A') + parts[2].substring(1), "an altered signature",
                "/api/v1/jobs/" + carols + "/results/hits?link=" + value, "a path no link opens");
        refused.forEach((path, what) -> assertThat(given().get(path).statusCode()).as(what).isEqualTo(401));
        given().post(url).then().statusCode(401);
        String expired = issuer.links().issue("carol", "/api/v1/jobs/" + carols + "/artifacts/hits.xml",
                Instant.now().minusSeconds(120), DownloadLinks.TTL).url();
        given().get(expired).then().statusCode(401).body("detail", startsWith("The download link is not valid"));
        // none of those reached artifact-service
        assertThat(BackendStandIn.SEEN).filteredOn(seen -> seen.path().contains("/artifacts/") || seen.path().endsWith("/export")).isEmpty();
        // a link for carol's own path still opens it
        given().get(url).then().statusCode(200);
    }
}
