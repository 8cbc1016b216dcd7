package io.aegis.gateway.rest;

import io.aegis.gateway.service.OidcProvider;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The Content-Security-Policy of every answer: the web app runs only its own script and styles, may
 * not be framed, and fetches from the gateway and, when one is configured, from the sign-in
 * provider's origin (its token endpoint, where the app trades the authorization code for tokens).
 */
@ApplicationScoped
public class ContentSecurityPolicy {

    static final String HEADER = "Content-Security-Policy";

    private final String policy;

    public ContentSecurityPolicy(OidcProvider provider) {
        this.policy = policy(provider.issuer());
    }

    /** The policy for a provider with {@code issuer}, or none. */
    static String policy(Optional<URI> issuer) {
        String connect = issuer.map(i -> "'self' " + origin(i)).orElse("'self'");
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src " + connect
                + "; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";
    }

    /** {@code scheme://host[:port]} of an absolute URI, as a browser sends it (no default port). */
    static String origin(URI uri) {
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("Not an absolute URI: " + uri);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        boolean defaultPort = uri.getPort() == -1 || scheme.equals("https") && uri.getPort() == 443
                || scheme.equals("http") && uri.getPort() == 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + uri.getPort());
    }

    void register(@Observes Filters filters) {
        filters.register(context -> {
            context.response().putHeader(HEADER, policy);
            context.next();
        }, 200);
    }
}
