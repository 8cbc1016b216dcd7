package io.aegis.web.identity;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.contracts.http.InternalIdentity.Caller;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.web.RouteProblems;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Checks the caller of every request to a service behind the gateway, before any route runs and
 * whatever port or interface the request came in on. A request must carry an identity another Aegis
 * service signed ({@link AegisHeaders#IDENTITY}); anything else is a 401 problem. The routes then
 * find the user and the admin flag the identity vouched for in {@link AegisHeaders#USER} and
 * {@link AegisHeaders#ADMIN}, and never a value a client sent under those names.
 *
 * <p>Only {@code /q/} is open: the health checks the orchestrator probes. The gateway, which checks
 * bearer tokens instead, excludes this bean.
 */
@ApplicationScoped
public class InternalCallerCheck {

    private final InternalKey key;

    public InternalCallerCheck(InternalKey key) {
        this.key = key;
    }

    void register(@Observes Filters filters) {
        // before every route and every other filter
        filters.register(this::check, 1000);
    }

    private void check(RoutingContext context) {
        MultiMap headers = context.request().headers();
        headers.remove(AegisHeaders.USER);
        headers.remove(AegisHeaders.ADMIN);
        // the path the router matches: a raw path with dot segments does not slip past
        if (context.normalizedPath().startsWith("/q/")) {
            context.next();
            return;
        }
        Caller caller;
        try {
            caller = key.verify(headers.get(AegisHeaders.IDENTITY));
        } catch (ProblemException e) {
            RouteProblems.send(context.response(), e.problem());
            return;
        }
        caller.user().ifPresent(user -> headers.set(AegisHeaders.USER, user));
        if (caller.admin()) {
            headers.set(AegisHeaders.ADMIN, "true");
        }
        context.next();
    }
}
