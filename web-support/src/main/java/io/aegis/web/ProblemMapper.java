package io.aegis.web;

import io.aegis.contracts.problem.Problem;
import io.aegis.contracts.problem.ProblemException;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as an RFC 9457 problem with a stable code; no stack trace reaches a client. */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response.ResponseBuilder response = Response.status(e.problem().status()).type(Problem.MEDIA_TYPE)
                .entity(e.problem());
        e.retryAfterSeconds().ifPresent(seconds -> response.header("Retry-After", seconds));
        return response.build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String code = status == 404 ? "NOT_FOUND" : status == 405 ? "METHOD_NOT_ALLOWED"
                : status == 415 ? "UNSUPPORTED_MEDIA_TYPE" : status < 500 ? "INVALID_REQUEST" : "INTERNAL_ERROR";
        return respond(Problem.of(status, code, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage()));
    }

    /**
     * Anything else: a dependency away ({@link DependencyOutage}: PostgreSQL stopped or restarting, a
     * connection cut) is {@code 503 SERVICE_UNAVAILABLE} with {@code Retry-After}, logged as a warning
     * without a stack trace (its cause is known, and it repeats for every request while it lasts);
     * any other failure is a bug, {@code 500 INTERNAL_ERROR} with its stack trace in the log.
     * {@code Throwable}, not {@code Exception}: Vert.x fails some futures with a bare
     * {@code Throwable} (its pool's acquisition timeout among them).
     */
    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        Optional<Throwable> outage = DependencyOutage.shownBy(e);
        if (outage.isPresent()) {
            Log.warnf("%s %s answered 503, a dependency is unavailable: %s", request.method(), request.path(),
                    DependencyOutage.summary(outage.get()));
            return problem(DependencyOutage.refusal());
        }
        Log.error("Unexpected error", e);
        return respond(Problem.of(500, "INTERNAL_ERROR", "Internal error", "The request could not be completed."));
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
