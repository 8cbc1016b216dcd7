package io.aegis.gateway.rest;

import io.aegis.gateway.client.Backends;
import io.aegis.gateway.config.GatewayConfig;
import io.aegis.gateway.service.Identity;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.function.Function;

/**
 * Reads (and cancel) pass straight through to the service that owns them, as the authenticated user,
 * streamed: jobs, history and cancel to job-service, event streams to log-stream-service, artifacts to artifact-service, the
 * catalog to pipeline-worker.
 */
@ApplicationScoped
public class ProxyRoutes {

    private final Backends backends;
    private final GatewayConfig.Services services;

    public ProxyRoutes(Backends backends, GatewayConfig config) {
        this.backends = backends;
        this.services = config.services();
    }

    void register(@Observes Router router) {
        route(router, "/api/v1/jobs", s -> s.job());
        route(router, "/api/v1/jobs/:id", s -> s.job());
        route(router, "/api/v1/jobs/:id/execution-steps", s -> s.job());
        route(router, "/api/v1/jobs/:id/events", s -> s.logStream());
        route(router, "/api/v1/jobs/:id/artifacts", s -> s.artifact());
        route(router, "/api/v1/jobs/:id/artifacts/:name", s -> s.artifact());
        route(router, "/api/v1/databases", s -> s.worker());
        route(router, "/api/v1/pipelines", s -> s.worker());
        URI jobs = services.job();
        router.post("/api/v1/jobs/:id/cancel").handler(context -> forward(context, jobs));
    }

    private void route(Router router, String path, Function<GatewayConfig.Services, URI> target) {
        URI base = target.apply(services);
        router.get(path).handler(context -> forward(context, base));
    }

    private void forward(RoutingContext context, URI base) {
        String uri = context.request().uri();
        backends.proxy(context, base, uri, Identity.user(context));
    }
}
