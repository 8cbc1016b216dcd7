package io.aegis.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.testing.KeycloakServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A real Keycloak with the local stack's realm {@code aegis} ({@code deploy/keycloak/aegis-realm.json}:
 * users alice, an administrator, and bob; the client {@code aegis}) and the tests' own clients
 * ({@code src/test/resources/keycloak/test-clients.json}), the gateway pointed at it as its OpenID
 * provider. The distribution is unpacked by the build (maven-dependency-plugin, see this module's pom).
 */
public class KeycloakResource implements QuarkusTestResourceLifecycleManager {

    static final String REALM = "aegis";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KeycloakServer server;
    private static CompletableFuture<KeycloakServer> starting;

    static synchronized KeycloakServer server() {
        return server;
    }

    /** Whether {@code testClass} signs in with this Keycloak. */
    static boolean usedBy(Class<?> testClass) {
        return Arrays.stream(testClass.getAnnotationsByType(WithTestResource.class))
                .anyMatch(resource -> resource.value() == KeycloakResource.class);
    }

    /**
     * Starts Keycloak on another thread unless it is starting already: its half-minute start then
     * runs beside the tests before the first class that needs it ({@link KeycloakEarlyStart}).
     */
    static synchronized void startInBackground() {
        if (starting == null) {
            starting = CompletableFuture.supplyAsync(() -> KeycloakServer.start(
                    Path.of(System.getProperty("keycloak.home")), Path.of("../deploy/keycloak/aegis-realm.json")));
        }
    }

    @Override
    public synchronized Map<String, String> start() {
        startInBackground();
        try {
            server = starting.join();
        } catch (CompletionException e) {
            starting = null;
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        try {
            for (JsonNode client : JSON.readTree(Path.of("src/test/resources/keycloak/test-clients.json").toFile())) {
                server.createClient(REALM, client.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("aegis.identity.oidc.issuer", server.issuer(REALM).toString(),
                // a token of three seconds expires within the test, not 30 s later
                "aegis.identity.oidc.clock-skew", "0s");
    }

    @Override
    public synchronized void stop() {
        server.close();
        server = null;
        starting = null;
    }
}
