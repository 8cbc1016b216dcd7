package io.aegis.gateway.rest;

import io.aegis.contracts.problem.ProblemException;
import io.aegis.gateway.config.GatewayConfig;
import io.aegis.gateway.service.Identity;
import io.aegis.gateway.service.OidcProvider;
import io.aegis.gateway.service.StoreQuota;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** How the web app signs in with the lab's provider, and who the gateway takes the caller for. */
@Path("/api/v1")
public class SignInResource {

    /**
     * The provider the web app signs in with: the authorization code flow with PKCE (S256) of the
     * public client {@code clientId}, the tokens then asked for at {@code tokenEndpoint}.
     */
    public record Provider(URI issuer, String clientId, String scope, URI authorizationEndpoint, URI tokenEndpoint,
                           URI endSessionEndpoint) {
    }

    /** {@code provider} is null where no provider is configured: callers then send the gateway's own tokens. */
    public record SignIn(Provider provider) {
    }

    /**
     * The caller as the gateway authenticated them, with what their jobs take in the store against
     * their quota ({@code storeBytes} null when it cannot be read now, {@code storeQuotaBytes} null
     * where there is no quota).
     */
    public record Caller(String user, boolean admin, Long storeBytes, Long storeQuotaBytes) {
    }

    static final String SCOPE = "openid";

    private final OidcProvider provider;
    private final StoreQuota quota;
    private final String clientId;

    public SignInResource(OidcProvider provider, StoreQuota quota, GatewayConfig config) {
        this.provider = provider;
        this.quota = quota;
        this.clientId = config.identity().oidc().webClientId();
    }

    @GET
    @Path("sign-in")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "How to sign in: the lab's OpenID Connect provider and the web app's client, or none; needs no token")
    public Response signIn() {
        try {
            Provider answer = provider.discovery().map(found -> new Provider(found.issuer(), clientId, SCOPE,
                    found.authorizationEndpoint(), found.tokenEndpoint(), found.endSessionEndpoint().orElse(null)))
                    .orElse(null);
            return Response.ok(new SignIn(answer)).header("Cache-Control", "no-cache").build();
        } catch (IllegalStateException e) {
            Log.warnf("Sign-in is unavailable: %s", e.getMessage());
            throw new ProblemException(503, "PROVIDER_UNAVAILABLE", "Sign-in unavailable",
                    "The identity provider cannot be reached; try again shortly.").retryAfter(Duration.ofSeconds(5));
        }
    }

    @GET
    @Path("me")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller: the user the bearer token names, whether they administer Aegis, and their store "
            + "usage against their quota")
    public Uni<Response> me(RoutingContext context) {
        String user = Identity.user(context);
        boolean admin = Identity.isAdmin(context);
        Long quotaBytes = quota.quota().isPresent() ? quota.quota().getAsLong() : null;
        return quota.usage(user).map(used -> Response.ok(new Caller(user, admin,
                        used.isPresent() ? used.getAsLong() : null, quotaBytes))
                .header("Cache-Control", "no-store").build());
    }
}
