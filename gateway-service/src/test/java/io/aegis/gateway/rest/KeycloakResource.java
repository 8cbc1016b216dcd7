package io.aegis.gateway.rest;

import io.aegis.testing.KeycloakServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real Keycloak with the realm {@code aegis} of {@code src/test/resources/keycloak/aegis-realm.json}
 * (users alice, an administrator, and bob), the gateway pointed at it as its OpenID provider. The
 * distribution is unpacked by the build (maven-dependency-plugin, see this module's pom).
 */
public class KeycloakResource implements QuarkusTestResourceLifecycleManager {

    static final String REALM = "aegis";
    private static KeycloakServer server;

    static synchronized KeycloakServer server() {
        return server;
    }

    @Override
    public synchronized Map<String, String> start() {
        server = KeycloakServer.start(Path.of(System.getProperty("keycloak.home")),
                Path.of("src/test/resources/keycloak/aegis-realm.json"));
        return Map.of("aegis.identity.oidc.issuer", server.issuer(REALM).toString(),
                // a token of five seconds expires within the test, not 30 s later
                "aegis.identity.oidc.clock-skew", "0s");
    }

    @Override
    public synchronized void stop() {
        server.close();
    }
}
