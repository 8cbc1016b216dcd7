package io.aegis.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.aegis.contracts.http.JobSubmission;
import io.aegis.events.EventJson;
import io.aegis.gateway.domain.QBlast;
import io.aegis.gateway.service.Identity;
import io.aegis.testing.RedisServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /blast/Blast.cgi} as Biopython's qblast drives it: a Put through the submit path every job
 * takes, Gets that wait, then answer the XML or end with an HTTP error, HTTP Basic with the token as
 * the password, and another user's RID as unknown as any.
 */
@QuarkusTest
@WithTestResource(BackendStandIn.class)
@WithTestResource(RedisServerResource.class)
class QBlastEndpointTest {

    private static final String FASTA = ">q1\nMKTAYIAKQRQISFVKSHFSRQ\n>q2\nMSTNPKPQRKTKRNTNRRPQDV\n";

    @Inject
    Identity identity;

    private String token(String user) {
        return identity.tokens().orElseThrow().issue(user, Duration.ofMinutes(5), Instant.now());
    }

    /** As qblast sends its credentials once challenged: HTTP Basic, its default user name, the token as the password. */
    private RequestSpecification as(String user) {
        return given().auth().preemptive().basic("blast", token(user));
    }

    /** What qblast's Put sends by default, and the query. */
    private static Map<String, String> put(String query) {
        return Map.of("CMD", "Put", "PROGRAM", "blastp", "DATABASE", "demo", "QUERY", query, "EXPECT", "10.0",
                "HITLIST_SIZE", "50", "ENTREZ_QUERY", "(none)");
    }

    /** What qblast's Get sends by default. */
    private static Map<String, String> get(String rid) {
        return Map.of("CMD", "Get", "RID", rid, "FORMAT_TYPE", "XML", "ALIGNMENTS", "500", "DESCRIPTIONS", "500");
    }

    private static List<BackendStandIn.Seen> submissions() {
        return BackendStandIn.SEEN.stream().filter(s -> s.method().equals("POST") && s.path().equals("/api/v1/jobs")).toList();
    }

    /** A job of {@code owner}'s in {@code status}, its artifacts listed as given. */
    private static String job(String owner, String status, String error, JsonArray artifacts) {
        String id = UUID.randomUUID().toString();
        BackendStandIn.OWNERS.put(id, owner);
        BackendStandIn.JOBS.put(id, new JsonObject().put("id", id).put("status", status).put("error", error)
                .put("attempt", 1).put("pipeline", "blast"));
        BackendStandIn.ARTIFACTS.put(id, artifacts);
        return id;
    }

    private static JsonArray artifacts(String xmlState, String manifestState) {
        JsonArray items = new JsonArray().add(new JsonObject().put("name", "hits.tsv").put("state", "ready"));
        if (xmlState != null) {
            items.add(new JsonObject().put("name", "hits.xml").put("state", xmlState));
        }
        return items.add(new JsonObject().put("name", "manifest.json").put("state", manifestState));
    }

    @BeforeEach
    void forget() {
        BackendStandIn.SEEN.clear();
    }

    @Test
    void aPutSubmitsABlastJobThroughTheSubmitPathAndAnswersItsIdAsTheRid() {
        String page = as("alice").formParams(Map.of("CMD", "Put", "PROGRAM", "blastp", "DATABASE", "demo",
                        "QUERY", FASTA, "EXPECT", "0.001", "HITLIST_SIZE", "25", "MATRIX_NAME", "BLOSUM80",
                        "WORD_SIZE", "3", "ENTREZ_QUERY", "(none)", "JOB_TITLE", "my search"))
                .post(QBlast.PATH).then().statusCode(200).extract().asString();

        // as qblast reads it: RID and RTOE each up to the end of its line
        assertThat(page).contains("QBlastInfoBegin", "    RID = j1\n", "    RTOE = " + QBlast.RTOE_SECONDS + "\n", "QBlastInfoEnd");
        BackendStandIn.Seen seen = submissions().getFirst();
        assertThat(seen.user()).isEqualTo("alice");
        JobSubmission submission = EventJson.decode(seen.body(), JobSubmission.class);
        assertThat(submission.pipeline()).isEqualTo("blast");
        assertThat(submission.database()).isEqualTo("demo");
        assertThat(submission.name()).isEqualTo("my search");
        assertThat(submission.sequenceCount()).isEqualTo(2);
        assertThat(submission.params()).containsEntry("program", "blastp").containsEntry("evalue", 0.001)
                .containsEntry("max_target_seqs", 25).containsEntry("matrix", "BLOSUM80").containsEntry("word_size", 3);
    }

    /** A GET's query string holds no line break (the gateway refuses control characters there): FASTA goes in a POST form. */
    @Test
    void aBareSequenceInTheQueryStringIsOneQueryAndABearerTokenWorksToo() {
        given().auth().oauth2(token("bob")).queryParams(Map.of("CMD", "Put", "PROGRAM", "blastp", "DATABASE", "demo",
                        "QUERY", "MKTAYIAKQR QISFVKSHFS 21 RQ"))
                .get(QBlast.PATH).then().statusCode(200).body(containsString("RID = j1"));
        JobSubmission submission = EventJson.decode(submissions().getFirst().body(), JobSubmission.class);
        assertThat(submissions().getFirst().user()).isEqualTo("bob");
        assertThat(submission.fasta()).isEqualTo(">Query_1\nMKTAYIAKQRQISFVKSHFSRQ\n");
        assertThat(submission.name()).isEqualTo("qblast");
    }

    @Test
    void withoutCredentialsItChallengesForBasicAsUrllibNeedsAndAWrongTokenIsRefused() {
        given().formParams(put(FASTA)).post(QBlast.PATH).then().statusCode(401)
                .header("WWW-Authenticate", "Basic realm=\"Aegis\"")
                .contentType("application/problem+json").body("code", equalTo("UNAUTHENTICATED"));
        given().auth().preemptive().basic("blast", "not-a-token").formParams(get("j1")).post(QBlast.PATH)
                .then().statusCode(401).header("WWW-Authenticate", "Basic realm=\"Aegis\"");
        given().auth().preemptive().basic("blast", token("mallory")).formParams(get("j1")).post(QBlast.PATH)
                .then().statusCode(401);
        // elsewhere the challenge stays Bearer, and Basic is no way in
        given().auth().preemptive().basic("blast", token("alice")).get("/api/v1/jobs/j1")
                .then().statusCode(401).header("WWW-Authenticate", "Bearer");
        assertThat(BackendStandIn.SEEN).isEmpty();
    }

    @Test
    void aRunningJobIsTheWaitingPageForTheXmlAndForSearchInfo() {
        String waiting = as("alice").formParams(get("j1")).post(QBlast.PATH).then().statusCode(200).extract().asString();
        assertThat(waiting).contains("Status=WAITING\n").doesNotContain("READY");
        as("alice").formParams(Map.of("CMD", "Get", "RID", "j1", "FORMAT_OBJECT", "SearchInfo")).post(QBlast.PATH)
                .then().statusCode(200).body(containsString("Status=WAITING\n"));
    }

    @Test
    void aSucceededJobWaitsForItsXmlThenAnswersItAndSearchInfoSaysReadyWithHits() {
        String building = job("alice", "SUCCEEDED", null, artifacts("pending", "pending"));
        as("alice").formParams(get(building)).post(QBlast.PATH).then().statusCode(200)
                .body(containsString("Status=WAITING\n"));

        String built = job("alice", "SUCCEEDED", null, artifacts("ready", "ready"));
        byte[] xml = as("alice").formParams(get(built)).post(QBlast.PATH).then().statusCode(200)
                .contentType("application/xml").extract().asByteArray();
        assertThat(xml).isEqualTo(BackendStandIn.XML);
        assertThat(new String(xml)).doesNotContain("Status=");
        String info = as("alice").queryParams(Map.of("CMD", "Get", "RID", built, "FORMAT_OBJECT", "SearchInfo"))
                .get(QBlast.PATH).then().statusCode(200).extract().asString();
        assertThat(info).contains("Status=READY\n", "ThereAreHits=yes\n");
        assertThat(BackendStandIn.SEEN).filteredOn(s -> s.path().endsWith("/hits.xml"))
                .extracting(BackendStandIn.Seen::method, BackendStandIn.Seen::user).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("GET", "alice"));
    }

    @Test
    void aSucceededJobsXmlMadeOnRequestIsAskedForByTheFirstPollAndAnsweredOnceMade() {
        String job = job("alice", "SUCCEEDED", null, artifacts("on_request", "ready"));
        as("alice").formParams(get(job)).post(QBlast.PATH).then().statusCode(200)
                .body(containsString("Status=WAITING\n"));
        assertThat(BackendStandIn.SEEN).filteredOn(s -> s.path().endsWith("/hits.xml/build"))
                .extracting(BackendStandIn.Seen::method, BackendStandIn.Seen::user).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("POST", "alice"));
        // asked once: while it is made, a poll waits without asking again
        as("alice").formParams(get(job)).post(QBlast.PATH).then().statusCode(200)
                .body(containsString("Status=WAITING\n"));
        assertThat(BackendStandIn.SEEN).filteredOn(s -> s.path().endsWith("/hits.xml/build")).hasSize(1);

        BackendStandIn.made(job, "hits.xml", null);
        byte[] xml = as("alice").formParams(get(job)).post(QBlast.PATH).then().statusCode(200)
                .contentType("application/xml").extract().asByteArray();
        assertThat(xml).isEqualTo(BackendStandIn.XML);
    }

    @Test
    void aFailedOrCancelledJobOrOneWhoseXmlWillNotComeIsAnHttpErrorThatSaysWhyNeverAnEndlessWait() {
        String failed = job("alice", "FAILED", "blastp exited with 2 on batch 1/1: BLAST Database error", new JsonArray());
        as("alice").formParams(get(failed)).post(QBlast.PATH).then().statusCode(409)
                .statusLine(containsString("JOB_FAILED: Job " + failed + " failed: blastp exited with 2"))
                .contentType("application/problem+json").body("code", equalTo("JOB_FAILED"))
                .body("jobStatus", equalTo("FAILED"));
        String cancelled = job("alice", "CANCELLED", null, new JsonArray());
        as("alice").formParams(Map.of("CMD", "Get", "RID", cancelled, "FORMAT_OBJECT", "SearchInfo")).post(QBlast.PATH)
                .then().statusCode(409).statusLine(containsString("JOB_CANCELLED")).body("code", equalTo("JOB_CANCELLED"));
        String withoutXml = job("alice", "SUCCEEDED", null, artifacts(null, "ready"));
        as("alice").formParams(get(withoutXml)).post(QBlast.PATH).then().statusCode(409)
                .body("code", equalTo("RESULTS_UNAVAILABLE"));
        String xmlFailed = job("alice", "SUCCEEDED", null, artifacts("failed", "ready"));
        as("alice").formParams(get(xmlFailed)).post(QBlast.PATH).then().statusCode(409)
                .body("code", equalTo("RESULTS_UNAVAILABLE"));
    }

    @Test
    void anotherUsersRidIsNotFoundAsAnUnknownOneAndItsXmlIsNeverRead() {
        String alices = job("alice", "SUCCEEDED", null, artifacts("ready", "ready"));
        as("bob").formParams(get(alices)).post(QBlast.PATH).then().statusCode(404)
                .statusLine(containsString("JOB_NOT_FOUND")).body("code", equalTo("JOB_NOT_FOUND"));
        as("bob").formParams(get(UUID.randomUUID().toString())).post(QBlast.PATH).then().statusCode(404)
                .body("code", equalTo("JOB_NOT_FOUND"));
        as("bob").formParams(get("../../api/v1/jobs")).post(QBlast.PATH).then().statusCode(404)
                .body("code", equalTo("JOB_NOT_FOUND"));
        assertThat(BackendStandIn.SEEN).noneMatch(s -> s.path().contains("/artifacts"));
    }

    @Test
    void badRequestsGetAProblemWithAStableCodeAndNothingIsSubmitted() {
        Map<String, Map<String, String>> cases = new java.util.LinkedHashMap<>();
        cases.put("UNKNOWN_COMMAND", Map.of("CMD", "Delete", "RID", "j1"));
        cases.put("INVALID_PARAMETER", with(put(FASTA), "PROGRAM", "blastz"));
        cases.put("UNKNOWN_DATABASE", with(put(FASTA), "DATABASE", "nr"));
        cases.put("INVALID_FASTA", with(put(FASTA), "QUERY", ">only a header\n"));
        cases.put("ALPHABET_MISMATCH", with(put(FASTA), "QUERY", ">d\nACGTACGTACGTACGTTTGA\n"));
        cases.put("UNSUPPORTED_PARAMETER", with(put(FASTA), "FILTER", "L"));
        cases.put("UNSUPPORTED_FORMAT", Map.of("CMD", "Get", "RID", "j1", "FORMAT_TYPE", "Text"));
        cases.forEach((code, form) -> as("alice").formParams(form).post(QBlast.PATH).then().statusCode(400)
                .statusLine(containsString(code)).contentType("application/problem+json").body("code", equalTo(code)));
        as("alice").formParams(with(put(FASTA), "EXPECT", "many")).post(QBlast.PATH).then().statusCode(400)
                .body("code", equalTo("INVALID_PARAMETER")).body("errors[0].field", equalTo("params.evalue"));
        as("alice").formParams(with(put(FASTA), "ENTREZ_QUERY", "human[organism]")).post(QBlast.PATH)
                .then().statusCode(400).body("code", equalTo("UNSUPPORTED_PARAMETER"));
        assertThat(submissions()).as("nothing reached job-service").isEmpty();
    }

    @Test
    void aUserOverTheirStoreQuotaIsRefusedAsOnTheApi() {
        BackendStandIn.USAGE.put("carol", 1_000_000L);
        as("carol").formParams(put(FASTA)).post(QBlast.PATH).then().statusCode(403)
                .statusLine(containsString("STORE_QUOTA_EXCEEDED")).body("code", equalTo("STORE_QUOTA_EXCEEDED"));
        assertThat(submissions()).isEmpty();
    }

    @Test
    void theEndpointIsInTheOpenApiDocument() {
        assertThat(given().get("/q/openapi").then().statusCode(200).extract().asString())
                .contains(QBlast.PATH, "UNSUPPORTED_PARAMETER", "JOB_CANCELLED");
    }

    private static Map<String, String> with(Map<String, String> form, String name, String value) {
        Map<String, String> changed = new java.util.HashMap<>(form);
        changed.put(name, value);
        return changed;
    }
}
