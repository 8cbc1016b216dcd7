package io.aegis.gateway.rest;

import io.aegis.contracts.problem.Problem;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.gateway.service.Identity;
import io.aegis.gateway.service.TicketIssuer;
import io.aegis.web.Callers;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Stream tickets: how a browser's EventSource, which cannot send a bearer token, opens a job's event stream. */
@Path("/api/v1/jobs/{id}/stream-ticket")
public class StreamTicketResource {

    /** What the owner gets: the ticket for {@code GET /api/v1/jobs/{id}/events?ticket=…}, good once until {@code expiresAt}. */
    public record StreamTicket(String ticket, Instant expiresAt) {
    }

    private final TicketIssuer issuer;

    public StreamTicketResource(TicketIssuer issuer) {
        this.issuer = issuer;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A single-use, short-lived ticket that opens the job's event stream (GET /api/v1/jobs/{id}/events?ticket=…); "
            + "the job's owner only")
    public Uni<Response> issue(@PathParam("id") String id, RoutingContext context) {
        return issuer.issue(Identity.user(context), Callers.jobId(id))
                .map(issued -> Response.status(Response.Status.CREATED).header("Cache-Control", "no-store")
                        .entity(new StreamTicket(issued.ticket(), issued.grant().expiresAt())).build())
                .onFailure(ProblemException.class).recoverWithItem(failure -> refused(((ProblemException) failure).problem()));
    }

    private static Response refused(Problem problem) {
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE)
                .header("Cache-Control", "no-store").entity(problem);
        if (problem.status() == 503) {
            response.header("Retry-After", "5");
        }
        return response.build();
    }
}
