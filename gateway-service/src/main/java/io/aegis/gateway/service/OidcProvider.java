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

    private final Optional<OidcTokens.Settings> settings;
    private volatile OidcTokens tokens;

    public OidcProvider(GatewayConfig config) {
        GatewayConfig.Oidc oidc = config.identity().oidc();
        this.settings = oidc.issuer().map(issuer -> new OidcTokens.Settings(issuer, oidc.audience(), oidc.userClaim(),
                oidc.rolesClaim(), oidc.adminRole(), oidc.clockSkew()));
    }

    public boolean configured() {
        return settings.isPresent();
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

    private OidcTokens tokens() {
        OidcTokens current = tokens;
        if (current == null) {
            synchronized (this) {
                if (tokens == null) {
                    HttpsJwks keys = new HttpsJwks(jwksUri(settings.get().issuer()).toString());
                    tokens = new OidcTokens(settings.get(), new HttpsJwksVerificationKeyResolver(keys));
                }
                current = tokens;
            }
        }
        return current;
    }

    /** The provider's key set, from its discovery document, which must name the issuer configured. */
    static URI jwksUri(URI issuer) {
        URI discovery = URI.create(issuer.toString().replaceAll("/+$", "") + "/.well-known/openid-configuration");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(discovery).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException(discovery + " answered " + answer.statusCode());
            }
            JsonNode document = EventJson.mapper().readTree(answer.body());
            if (!issuer.toString().equals(document.path("issuer").asText())) {
                throw new IllegalStateException(discovery + " names the issuer " + document.path("issuer").asText()
                        + ", not " + issuer);
            }
            return URI.create(document.path("jwks_uri").asText());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + discovery + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
