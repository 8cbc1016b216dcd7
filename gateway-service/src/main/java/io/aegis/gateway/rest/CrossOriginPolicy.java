package io.aegis.gateway.rest;

import io.aegis.contracts.problem.Problem;
import io.aegis.gateway.config.GatewayConfig;
import io.aegis.web.RouteProblems;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cross-origin calls to the API from the lab's other front ends ({@code aegis.web.cors-origins}, exact
 * origins; none by default). An allowed origin's requests get the CORS headers and its preflights are
 * answered here, before any token is asked for; any other origin's get none, so its browser keeps the
 * answer from its page, and its preflights a 403 {@code ORIGIN_NOT_ALLOWED}. Requests without an
 * {@code Origin} (scripts) and the app's own are untouched: behind a TLS-terminating proxy the
 * gateway cannot tell its own origin, so it never refuses a request by origin.
 * Tokens travel in {@code Authorization}, never in cookies, so no credentials are allowed.
 */
@ApplicationScoped
public class CrossOriginPolicy {

    static final String ALLOW_METHODS = "GET, POST, PUT, DELETE";
    static final String ALLOW_HEADERS = "Authorization, Content-Type, Last-Event-ID, Range";
    static final String EXPOSE_HEADERS = "Content-Disposition, Content-Length, Content-Range, Location, Retry-After";
    static final String MAX_AGE = "600";

    private final Set<String> origins;

    public CrossOriginPolicy(GatewayConfig config) {
        this.origins = allowed(config.web().corsOrigins().orElse(List.of()));
    }

    /** The configured origins, each checked to be one ({@code scheme://host[:port]}), in normal form. */
    static Set<String> allowed(List<String> configured) {
        return configured.stream().map(String::strip).filter(origin -> !origin.isEmpty()).map(origin -> {
            String normal = ContentSecurityPolicy.origin(URI.create(origin));
            URI given = URI.create(origin.replaceAll("/+$", ""));
            if (given.getRawPath() != null && !given.getRawPath().isEmpty() || given.getRawQuery() != null) {
                throw new IllegalArgumentException("aegis.web.cors-origins takes origins (scheme://host[:port]), not "
                        + origin);
            }
            return normal;
        }).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The headers to answer a request from {@code origin} with: none when it sent no origin or one not
     * allowed; for a preflight ({@code OPTIONS} with {@code Access-Control-Request-Method}) what it may send.
     */
    static Map<String, String> headers(Set<String> allowed, String origin, boolean preflight) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (origin == null || !allowed.contains(origin.toLowerCase(Locale.ROOT))) {
            return headers;
        }
        headers.put("Access-Control-Allow-Origin", origin);
        if (preflight) {
            headers.put("Access-Control-Allow-Methods", ALLOW_METHODS);
            headers.put("Access-Control-Allow-Headers", ALLOW_HEADERS);
            headers.put("Access-Control-Max-Age", MAX_AGE);
        } else {
            headers.put("Access-Control-Expose-Headers", EXPOSE_HEADERS);
        }
        return headers;
    }

    void register(@Observes Filters filters) {
        if (!origins.isEmpty()) {
            // ahead of the token check: a preflight carries no token
            filters.register(this::apply, 300);
        }
    }

    private void apply(RoutingContext context) {
        if (!context.normalizedPath().startsWith("/api/")) {
            context.next();
            return;
        }
        String origin = context.request().getHeader("Origin");
        boolean preflight = context.request().method() == HttpMethod.OPTIONS
                && context.request().getHeader("Access-Control-Request-Method") != null;
        Map<String, String> headers = headers(origins, origin, preflight);
        // caches keep one answer per origin: added to whatever Vary the answer ends up with
        context.addHeadersEndHandler(ignored -> {
            String vary = context.response().headers().get("Vary");
            if (vary == null || vary.isBlank()) {
                context.response().headers().set("Vary", "Origin");
            } else if (!vary.toLowerCase(Locale.ROOT).contains("origin")) {
                context.response().headers().set("Vary", vary + ", Origin");
            }
        });
        headers.forEach(context.response()::putHeader);
        if (preflight && headers.isEmpty()) {
            RouteProblems.send(context.response(), Problem.of(403, "ORIGIN_NOT_ALLOWED", "Origin not allowed",
                    "Pages of " + origin + " may not call this API (aegis.web.cors-origins)."));
            return;
        }
        if (preflight) {
            context.response().setStatusCode(204).end();
            return;
        }
        context.next();
    }
}
