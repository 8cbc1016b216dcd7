package io.aegis.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.aegis.gateway.service.Identity;
import io.aegis.testing.RedisServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signing in with a real OpenID Connect provider (Keycloak): its access tokens are taken as bearer
 * tokens, checked for issuer, audience, expiry and signature against the provider's published keys;
 * its admin role makes an administrator. The gateway's own tokens are still taken beside them.
 */
@QuarkusTest
@WithTestResource(BackendStandIn.class)
@WithTestResource(RedisServerResource.class)
@WithTestResource(KeycloakResource.class)
class OidcSignInTest {

    private static final String FASTA = ">p1\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ\n";

    @Inject
    Identity identity;

    @BeforeEach
    void forget() {
        BackendStandIn.SEEN.clear();
    }

    private static String token(String client, String user) {
        return KeycloakResource.server().token(KeycloakResource.REALM, client, user, user + "-password");
    }

    @Test
    void aProvidersTokenForAegisIsTakenAndNamesItsUser() {
        given().auth().oauth2(token("aegis", "bob")).get("/api/v1/jobs").then().statusCode(200);

        assertThat(BackendStandIn.SEEN).extracting(BackendStandIn.Seen::user).containsExactly("bob");
    }

    @Test
    void theProvidersAdminRoleMakesAnAdministratorAndNothingElseDoes() {
        given().auth().oauth2(token("aegis", "bob")).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "fasta", FASTA)).post("/api/v1/databases")
                .then().statusCode(403).body("code", equalTo("FORBIDDEN"));
        given().auth().oauth2(token("aegis", "alice")).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "fasta", FASTA)).post("/api/v1/databases")
                .then().statusCode(202);
    }

    @Test
    void tokensForAnotherAudienceFromAnotherIssuerTamperedOrExpiredAreRefused() {
        assertUnauthenticated(token("other-app", "alice"));
        assertUnauthenticated(KeycloakResource.server().token("master", "admin-cli", "admin",
                KeycloakResource.server().adminPassword()));
        String valid = token("aegis", "alice");
        String[] parts = valid.split("\\.");
        String forgedClaims = token("aegis", "bob").split("\\.")[1];
        assertUnauthenticated(parts[0] + "." + forgedClaims + "." + parts[2]);
        assertUnauthenticated(valid.substring(0, valid.length() - 2) + (valid.endsWith("AA") ? "BB" : "AA"));

        // a token of three seconds: taken while it is valid, refused once it has expired (and not before)
        String shortLived = token("aegis-short", "alice");
        Instant issued = Instant.now();
        given().auth().oauth2(shortLived).get("/api/v1/jobs").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() ->
                given().auth().oauth2(shortLived).get("/api/v1/jobs").statusCode() == 401);
        assertThat(Duration.between(issued, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertUnauthenticated(shortLived);
    }

    @Test
    void keysTheProviderRotatesAreTakenWithoutARestart() {
        String before = token("aegis", "alice");
        KeycloakResource.server().rotateSigningKey(KeycloakResource.REALM);
        String after = token("aegis", "alice");
        assertThat(kid(after)).as("the new token is signed with the new key").isNotEqualTo(kid(before));

        given().auth().oauth2(after).get("/api/v1/jobs").then().statusCode(200);
        given().auth().oauth2(before).get("/api/v1/jobs").then().statusCode(200);
    }

    @Test
    void theGatewaysOwnTokensAreStillTaken() {
        String own = identity.tokens().orElseThrow().issue("alice", Duration.ofMinutes(5), Instant.now());
        given().auth().oauth2(own).get("/api/v1/jobs").then().statusCode(200);
    }

    @Test
    void theWebAppLearnsHowToSignInWithoutATokenAndMayTalkToTheProvider() {
        String issuer = KeycloakResource.server().issuer(KeycloakResource.REALM).toString();
        given().get("/api/v1/sign-in").then().statusCode(200)
                .body("provider.issuer", equalTo(issuer))
                .body("provider.clientId", equalTo("aegis"))
                .body("provider.scope", equalTo("openid"))
                .body("provider.authorizationEndpoint", equalTo(issuer + "/protocol/openid-connect/auth"))
                .body("provider.tokenEndpoint", equalTo(issuer + "/protocol/openid-connect/token"))
                .body("provider.endSessionEndpoint", equalTo(issuer + "/protocol/openid-connect/logout"));
        String origin = issuer.substring(0, issuer.indexOf("/realms/"));
        assertThat(given().get("/").then().statusCode(200).extract().header("Content-Security-Policy"))
                .contains("connect-src 'self' " + origin + ";");
        assertThat(BackendStandIn.SEEN).isEmpty();
    }

    @Test
    void meNamesTheCallerTheProvidersTokenNames() {
        given().auth().oauth2(token("aegis", "alice")).get("/api/v1/me").then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("user", equalTo("alice")).body("admin", equalTo(true));
        given().auth().oauth2(token("aegis", "bob")).get("/api/v1/me").then().statusCode(200)
                .body("user", equalTo("bob")).body("admin", equalTo(false));
        given().get("/api/v1/me").then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        // only the sign-in document is open: a path that merely starts like it is not
        given().get("/api/v1/sign-in/../me").then().statusCode(401);
        given().get("/api/v1/sign-inx").then().statusCode(401);
    }

    private static void assertUnauthenticated(String token) {
        given().auth().oauth2(token).get("/api/v1/jobs").then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
    }

    private static String kid(String token) {
        String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]));
        return header.replaceAll(".*\"kid\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }
}
