package io.aegis.gateway.rest;

import io.aegis.contracts.problem.Problem;
import io.aegis.events.ControlCharacters;
import io.aegis.web.RouteProblems;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses a request whose target the gateway cannot read or pass on, with a 400 problem, before
 * anything reads it: a target that is no URI (a malformed percent escape, a character that must be
 * escaped) or that holds a control character (a NUL, a line break, a terminal escape) in a path
 * segment or a query parameter once decoded; {@code INVALID_PATH} or {@code INVALID_QUERY} by where.
 * Left alone, a malformed target fails whatever reads it first (the token check reads the query for a
 * stream ticket) with a bare answer, and a control character would reach the services behind, their
 * queries, headers and file names. Quarkus' own URI check, which would answer a bare 400 first, is off
 * ({@code GatewayMain}).
 *
 * <p>Runs after the CORS and CSP filters, so a refusal carries their headers, and before the token
 * check. A path the router cannot even match (it decodes the path to match a route's pattern, and
 * fails on a malformed escape before any filter runs) gets the same problem from the router's error
 * handler, and one a handler before this filter fails on from a failure handler.
 */
@ApplicationScoped
public class RequestTargets {

    /** Between {@link CrossOriginPolicy} (300) and {@code Identity} (100). */
    static final int PRIORITY = 150;

    void register(@Observes Filters filters) {
        filters.register(RequestTargets::check, PRIORITY);
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(RequestTargets::failed);
        router.errorHandler(400, RequestTargets::unmatched);
    }

    private static void check(RoutingContext context) {
        Optional<Problem> refusal = refusal(context.request().uri());
        if (refusal.isPresent()) {
            RouteProblems.send(context.response(), refusal.get());
        } else {
            context.next();
        }
    }

    private static void failed(RoutingContext context) {
        Optional<Problem> refusal = context.response().headWritten() ? Optional.empty()
                : refusal(context.request().uri());
        if (refusal.isPresent()) {
            RouteProblems.send(context.response(), refusal.get());
        } else {
            context.next();
        }
    }

    /** Routing itself failed on the request (no failure handler runs then): said with a problem too. */
    private static void unmatched(RoutingContext context) {
        if (!context.response().headWritten()) {
            RouteProblems.send(context.response(), refusal(context.request().uri()).orElse(
                    Problem.of(400, "INVALID_REQUEST", "Invalid request", "The request cannot be read.")));
        }
    }

    /** Why a request with this raw target ({@code /path?query} as sent) is refused, if it is. */
    static Optional<Problem> refusal(String target) {
        int mark = target.indexOf('?');
        String path = mark < 0 ? target : target.substring(0, mark);
        String query = mark < 0 ? null : target.substring(mark + 1);
        try {
            new URI(target);
        } catch (URISyntaxException e) {
            return Optional.of(mark >= 0 && e.getIndex() > mark
                    ? invalidQuery("The query holds a malformed percent escape or a character that must be escaped.")
                    : invalidPath("The path holds a malformed percent escape or a character that must be escaped."));
        }
        String decoded;
        try {
            decoded = QueryStringDecoder.decodeComponent(path, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.of(invalidPath("The path holds a malformed percent escape."));
        }
        if (ControlCharacters.in(decoded)) {
            return Optional.of(invalidPath("A path segment holds a control character."));
        }
        if (query == null || query.isEmpty()) {
            return Optional.empty();
        }
        Map<String, List<String>> parameters;
        try {
            parameters = new QueryStringDecoder(query, StandardCharsets.UTF_8, false).parameters();
        } catch (IllegalArgumentException e) {
            return Optional.of(invalidQuery("The query holds a malformed percent escape."));
        }
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (ControlCharacters.in(parameter.getKey()) || parameter.getValue().stream().anyMatch(ControlCharacters::in)) {
                return Optional.of(invalidQuery("A query parameter holds a control character."));
            }
        }
        return Optional.empty();
    }

    private static Problem invalidPath(String detail) {
        return Problem.of(400, "INVALID_PATH", "Invalid path", detail);
    }

    private static Problem invalidQuery(String detail) {
        return Problem.of(400, "INVALID_QUERY", "Invalid query", detail);
    }
}
