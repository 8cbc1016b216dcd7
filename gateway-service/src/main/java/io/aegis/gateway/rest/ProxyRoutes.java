package io.aegis.gateway.rest;

import io.aegis.gateway.client.Backends;
import io.aegis.gateway.config.GatewayConfig;
import io.aegis.gateway.domain.DownloadLinks;
import io.aegis.gateway.service.DatabaseCatalog;
import io.aegis.gateway.service.Identity;
import io.aegis.web.Callers;
import io.aegis.web.RouteProblems;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.function.Function;

/**
 * Reads (and cancel and retry) pass straight through to the service that owns them, as the authenticated
 * user, streamed: jobs, history, cancel and retry to job-service, event streams to log-stream-service (over
 * HTTP/2, {@link Backends#stream}), artifacts, results (hit pages, any hit's alignment, the hits as FASTA,
 * summary), the export zip and asking for an artifact made on request to artifact-service, the catalog to
 * pipeline-worker. Registering a database,
 * for administrators only, is streamed to pipeline-worker.
 * An event stream opened with a stream ticket goes to log-stream-service with the ticket and no user.
 * A target holding a control character or a malformed escape never gets here ({@link RequestTargets}).
 */
@ApplicationScoped
public class ProxyRoutes {

    private final Backends backends;
    private final GatewayConfig.Services services;
    private final Identity identity;
    private final DatabaseCatalog catalog;

    public ProxyRoutes(Backends backends, GatewayConfig config, Identity identity, DatabaseCatalog catalog) {
        this.backends = backends;
        this.services = config.services();
        this.identity = identity;
        this.catalog = catalog;
    }

    void register(@Observes Router router) {
        route(router, "/api/v1/jobs", s -> s.job());
        route(router, "/api/v1/jobs/:id", s -> s.job());
        route(router, "/api/v1/jobs/:id/execution-steps", s -> s.job());
        route(router, "/api/v1/jobs/:id/artifacts", s -> s.artifact());
        route(router, "/api/v1/jobs/:id/artifacts/:name", s -> s.artifact());
        route(router, "/api/v1/jobs/:id/results/hits", s -> s.artifact());
        route(router, "/api/v1/jobs/:id/results/hits/:ord/alignment", s -> s.artifact());
        route(router, "/api/v1/jobs/:id/results/hits.fasta", s -> s.artifact());
        route(router, "/api/v1/jobs/:id/results/summary", s -> s.artifact());
        route(router, "/api/v1/jobs/:id/export", s -> s.artifact());
        route(router, "/api/v1/databases", s -> s.worker());
        route(router, "/api/v1/databases/:name", s -> s.worker());
        route(router, "/api/v1/pipelines", s -> s.worker());
        URI streams = services.logStream();
        router.get("/api/v1/jobs/:id/events")
                .handler(context -> backends.stream(context, streams, target(context), Identity.user(context)));
        URI jobs = services.job();
        router.post("/api/v1/jobs/:id/cancel").handler(context -> forward(context, jobs));
        router.post("/api/v1/jobs/:id/retry").handler(context -> forward(context, jobs));
        URI artifacts = services.artifact();
        router.post("/api/v1/jobs/:id/artifacts/:name/build").handler(context -> forward(context, artifacts));
        // ahead of the gateway's own body-size limit (BodyLimit, then Quarkus'): a database FASTA is far larger
        // than a job's, and it is streamed to the worker, which enforces its own limit (aegis.databases.max-upload-bytes)
        router.post("/api/v1/databases").order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2)
                .handler(this::registerDatabase);
    }

    private void route(Router router, String path, Function<GatewayConfig.Services, URI> target) {
        URI base = target.apply(services);
        router.get(path).handler(context -> forward(context, base));
    }

    private void forward(RoutingContext context, URI base) {
        backends.proxy(context, base, target(context), Identity.user(context));
    }

    /**
     * The path the router matched and {@link Identity} checked (dot segments resolved), with the query as
     * sent but a download link: a credential the gateway has checked goes no further.
     */
    private static String target(RoutingContext context) {
        String query = DownloadLinks.withoutLink(context.request().query());
        return query == null ? context.normalizedPath() : context.normalizedPath() + "?" + query;
    }

    private void registerDatabase(RoutingContext context) {
        String user = Identity.user(context);
        if (!Identity.isAdmin(context)) {
            // refused here too, before the upload streams to the worker (which makes the same check); the
            // upload is not read, so the connection cannot carry another request
            context.response().putHeader("Connection", "close");
            RouteProblems.send(context.response(), Callers.notAnAdmin(user).problem());
            return;
        }
        backends.proxy(context, services.worker(), target(context), user, status -> {
            if (status >= 200 && status < 300) {
                // the new database is listed (building) at once: read the catalog again
                catalog.invalidate();
            }
        });
    }
}
