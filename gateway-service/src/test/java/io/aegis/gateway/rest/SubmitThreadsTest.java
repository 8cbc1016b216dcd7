package io.aegis.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.client.Backends;
import io.aegis.gateway.service.DatabaseCatalog;
import io.aegis.gateway.service.Identity;
import io.aegis.testing.RedisServerResource;
import io.aegis.web.identity.InternalKey;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A submit's heavy part, parsing the FASTA and encoding the job, runs on a worker thread, never on an
 * event loop, which must stay free for the proxied reads and event streams: the job is posted to
 * job-service from the thread that validated it, and this test notes which kind that is. The catalog
 * is read again before each submit, so the checks before validation complete on an event loop (the
 * worker's answer arrives there), as they do whenever a cache has run out.
 */
@QuarkusTest
@WithTestResource(BackendStandIn.class)
@WithTestResource(RedisServerResource.class)
class SubmitThreadsTest {

    /**
     * The gateway's backends, noting where each job was posted to job-service from; in place for one
     * test (its HTTP client closes with the application's Vert.x).
     */
    static final class Recording extends Backends {

        final List<String> postedFrom = new CopyOnWriteArrayList<>();

        Recording(Vertx vertx, InternalKey key) {
            super(vertx, key);
        }

        @Override
        public Uni<Answer> postJson(URI base, String path, String user, Object body) {
            postedFrom.add(Context.isOnEventLoopThread() ? "an event loop" : "a worker");
            return super.postJson(base, path, user, body);
        }
    }

    /** 20 proteins of 50,000 residues: a megabyte to parse, check and encode. */
    private static final String FASTA = fasta(20, 50_000);

    @Inject
    Identity identity;

    @Inject
    DatabaseCatalog catalog;

    @Inject
    Vertx vertx;

    @Inject
    InternalKey key;

    private Recording backends;

    @BeforeEach
    void record() {
        backends = new Recording(vertx, key);
        QuarkusMock.installMockForType(backends, Backends.class);
    }

    private static String fasta(int sequences, int length) {
        StringBuilder fasta = new StringBuilder();
        String residues = "MKTAYIAKQRQISFVKSHFSRQ".repeat(length / 22 + 1).substring(0, length);
        for (int i = 0; i < sequences; i++) {
            fasta.append(">q").append(i).append('\n').append(residues).append('\n');
        }
        return fasta.toString();
    }

    private String token() {
        return identity.tokens().orElseThrow().issue("alice", Duration.ofMinutes(5), Instant.now());
    }

    @Test
    void aLargeSubmitIsParsedAndEncodedOnAWorkerNeverOnAnEventLoop() {
        catalog.invalidate();
        given().auth().oauth2(token()).contentType(ContentType.JSON).body(Map.of("fasta", FASTA, "database", "demo"))
                .post("/api/v1/jobs").then().statusCode(202);
        catalog.invalidate();
        given().auth().oauth2(token()).multiPart("file", "big.fasta", FASTA.getBytes(StandardCharsets.US_ASCII), "text/plain")
                .multiPart("database", "demo").post("/api/v1/jobs").then().statusCode(202);

        assertThat(backends.postedFrom).containsExactly("a worker", "a worker");
    }
}
