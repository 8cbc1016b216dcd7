package io.aegis.gateway.config;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the gateway with Quarkus' own check of the request target switched off
 * ({@code vertx.disableURIValidation}): that check answers a target {@link java.net.URI} cannot parse
 * (a malformed escape, a {@code |} in a hits cursor) with a bare 400 before any of the gateway's code
 * runs. The gateway makes the same check itself ({@code rest.RequestTargets}) and answers it with a
 * problem, as it answers every refusal. The property is read once, as Quarkus' HTTP layer loads, so it
 * is set here, before Quarkus starts (and by the build for the tests, which start no main).
 */
@QuarkusMain
public class GatewayMain {

    public static void main(String... args) {
        System.setProperty("vertx.disableURIValidation", "true");
        Quarkus.run(args);
    }
}
