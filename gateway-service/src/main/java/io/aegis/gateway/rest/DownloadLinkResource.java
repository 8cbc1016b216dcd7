package io.aegis.gateway.rest;

import io.aegis.contracts.problem.Problem;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.gateway.service.DownloadLinkIssuer;
import io.aegis.gateway.service.Identity;
import io.aegis.web.Callers;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Download links: how the web app lets the browser download an artifact or the export zip through a
 * plain link, streamed to disk, when every API call needs a bearer token the link cannot send.
 */
@Path("/api/v1/jobs/{id}/download-links")
public class DownloadLinkResource {

    /** What to download, relative to the job: {@code export} or {@code artifacts/<name>}. */
    public record LinkRequest(String path) {
    }

    /** The link: a path with its {@code link} parameter, to GET without a token until {@code expiresAt}. */
    public record DownloadLink(String url, Instant expiresAt) {
    }

    private final DownloadLinkIssuer issuer;

    public DownloadLinkResource(DownloadLinkIssuer issuer) {
        this.issuer = issuer;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A link that downloads one artifact or the export zip of the caller's job without a bearer token, "
            + "for about 60 s (GET of that path only, byte ranges included)")
    @APIResponse(responseCode = "201", description = "The link: GET its url without a token until expiresAt",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DownloadLink.class)))
    @APIResponse(responseCode = "400", description = "INVALID_DOWNLOAD: path is neither \"export\" nor \"artifacts/<name>\" "
            + "(letters, digits, '.', '_', '-'); INVALID_JOB_ID")
    @APIResponse(responseCode = "401", description = "UNAUTHENTICATED")
    @APIResponse(responseCode = "404", description = "JOB_NOT_FOUND (no such job of the caller's)")
    @APIResponse(responseCode = "503", description = "SERVICE_UNAVAILABLE (job-service did not answer; with Retry-After)")
    public Uni<Response> issue(@PathParam("id") String id, LinkRequest request, RoutingContext context) {
        return Uni.createFrom().deferred(() -> issuer.issue(Identity.user(context), Callers.jobId(id),
                        request == null ? null : request.path()))
                .map(link -> Response.status(Response.Status.CREATED).header("Cache-Control", "no-store")
                        .entity(new DownloadLink(link.url(), link.expiresAt())).build())
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
