package io.aegis.gateway.rest;

import io.aegis.contracts.problem.Problem;
import io.aegis.web.RouteProblems;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A request whose declared body is larger than {@code quarkus.http.limits.max-body-size} (sized for a
 * job's FASTA in a multipart form) is refused with a 413 problem {@code INPUT_TOO_LARGE} before any of
 * it is read, just ahead of Quarkus' own check, which would answer the same with an empty body. The
 * connection is closed: the body the client goes on sending is not read. A database registration
 * is not held to this limit ({@link ProxyRoutes} streams it to the worker first).
 */
@ApplicationScoped
public class BodyLimit {

    private final long maxBytes;

    public BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBytes = maxBodySize.asLongValue();
    }

    void register(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        if (!tooLarge(context.request().getHeader("Content-Length"), maxBytes)) {
            context.next();
            return;
        }
        context.response().putHeader("Connection", "close");
        RouteProblems.send(context.response(), Problem.of(413, "INPUT_TOO_LARGE", "Request too large",
                "The request body is larger than " + maxBytes + " bytes."));
    }

    /** Whether a declared {@code Content-Length} is over the limit; one that is no number is left to the HTTP layer. */
    static boolean tooLarge(String contentLength, long maxBytes) {
        if (contentLength == null) {
            return false;
        }
        try {
            return Long.parseLong(contentLength.strip()) > maxBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
