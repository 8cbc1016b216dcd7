package io.aegis.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.aegis.events.EventJson;
import io.aegis.gateway.config.GatewayConfig;
import io.aegis.gateway.domain.OidcTokens;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;

/**
 * The lab's OpenID Connect provider, when one is configured ({@code aegis.identity.oidc.issuer}).
 * Its discovery document is read on first use (so the gateway starts while the provider is away),
 * and its keys (JWKS) are fetched again whenever a token names a key not seen yet: the provider
 * rotates its keys without the gateway restarting. Verifying may wait on the provider: call it off
 * the event loop.
 */
@ApplicationScoped
public class OidcProvider {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** How long a failed read of the discovery document stands before the provider is asked again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private record Failure(String message, Instant until) {
    }

    /** What the provider's discovery document says, as far as Aegis uses it. */
    public record Discovery(URI issuer, URI jwksUri, URI authorizationEndpoint, URI tokenEndpoint,
                            Optional<URI> endSessionEndpoint) {
    }

    private final Optional<OidcTokens.Settings> settings;
    private volatile Discovery discovery;
    private volatile Failure failure;
    private volatile OidcTokens tokens;

    public OidcProvider(GatewayConfig config) {
        GatewayConfig.Oidc oidc = config.identity().oidc();
        this.settings = oidc.issuer().map(issuer -> new OidcTokens.Settings(issuer, oidc.audience(), oidc.userClaim(),
                oidc.rolesClaim(), oidc.adminRole(), oidc.clockSkew()));
    }

    public boolean configured() {
        return settings.isPresent();
    }

    /** The configured issuer, without asking the provider. */
    public Optional<URI> issuer() {
        return settings.map(OidcTokens.Settings::issuer);
    }

    /** The caller a provider's token names; empty when it is not valid, or the provider cannot be reached. */
    public Optional<OidcTokens.Caller> verify(String token) {
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        try {
            return tokens().verify(token);
        } catch (RuntimeException e) {
            Log.warnf("Cannot read the OpenID provider %s: %s", settings.get().issuer(), e.toString());
            return Optional.empty();
        }
    }

    /**
     * The provider's endpoints, read once from its discovery document; empty when no provider is
     * configured. Throws {@link IllegalStateException} while the provider cannot be read; a failed
     * read is not tried again for {@link #RETRY_AFTER}, so callers do not queue up on a provider that
     * is away. Blocking.
     */
    public Optional<Discovery> discovery() {
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        Discovery current = discovery;
        if (current != null) {
            return Optional.of(current);
        }
        Failure last = failure;
        if (last != null && Instant.now().isBefore(last.until())) {
            throw new IllegalStateException(last.message());
        }
        try {
            // two callers may read it at once; either answer will do
            current = discover(settings.get().issuer());
            discovery = current;
            return Optional.of(current);
        } catch (RuntimeException e) {
            failure = new Failure(e.getMessage(), Instant.now().plus(RETRY_AFTER));
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private OidcTokens tokens() {
        OidcTokens current = tokens;
        if (current == null) {
            Discovery found = discovery().orElseThrow();
            synchronized (this) {
                if (tokens == null) {
                    HttpsJwks keys = new HttpsJwks(found.jwksUri().toString());
                    tokens = new OidcTokens(settings.get(), new HttpsJwksVerificationKeyResolver(keys));
                }
                current = tokens;
            }
        }
        return current;
    }

    /** The provider's discovery document, which must name the issuer configured. */
    static Discovery discover(URI issuer) {
        URI address = URI.create(issuer.toString().replaceAll("/+$", "") + "/.well-known/openid-configuration");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(address).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException(address + " answered " + answer.statusCode());
            }
            JsonNode document = EventJson.mapper().readTree(answer.body());
            if (!issuer.toString().equals(document.path("issuer").asText())) {
                throw new IllegalStateException(address + " names the issuer " + document.path("issuer").asText()
                        + ", not " + issuer);
            }
            return new Discovery(issuer, endpoint(document, "jwks_uri", address),
                    endpoint(document, "authorization_endpoint", address), endpoint(document, "token_endpoint", address),
                    Optional.ofNullable(document.path("end_session_endpoint").textValue()).map(URI::create));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot read " + address + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static URI endpoint(JsonNode document, String name, URI address) {
        String value = document.path(name).textValue();
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(address + " names no " + name);
        }
        return URI.create(value);
    }
}
