package io.aegis.artifact.rest;

import io.aegis.artifact.domain.Artifact;
import io.aegis.artifact.repository.ResultsRepository.ArtifactRow;
import io.aegis.artifact.service.ArtifactListing;
import io.aegis.artifact.service.ArtifactRequests;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.contracts.http.AegisHeaders;
import io.aegis.events.ArtifactState;
import io.aegis.web.Callers;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * A job's artifacts and their states, behind the gateway (caller in {@link AegisHeaders#USER}); never
 * waits for a build. A job of the caller's whose finalization has not started lists what it will have,
 * {@code pending}; anyone else's job is a 404, as an unknown one ({@link ArtifactListing}). An artifact
 * made only when asked for ({@code on_request}) is asked for here or by its first download
 * ({@link ArtifactRequests}). The downloads themselves are {@link DownloadRoutes}.
 */
@Path("/api/v1/jobs/{id}/artifacts")
public class ArtifactResource {

    /** One artifact: {@code kind} is {@code file} (downloadable by name) or {@code table} (read through /results). */
    public record ArtifactView(String name, String kind, ArtifactState state, Long size, String sha256,
                               String contentType, String error) {
        static ArtifactView of(Artifact a) {
            return new ArtifactView(a.name, a.kind, a.state, a.size, a.sha256, a.contentType, a.error);
        }

        static ArtifactView of(ArtifactRow row) {
            return new ArtifactView(row.name(), row.kind(), row.state(), row.size(), row.sha256(), row.contentType(),
                    row.error());
        }
    }

    public record ArtifactList(UUID jobId, List<ArtifactView> items) {
    }

    private final ArtifactListing listing;
    private final ArtifactRequests requests;

    public ArtifactResource(ArtifactListing listing, ArtifactRequests requests) {
        this.listing = listing;
        this.requests = requests;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ArtifactList> list(@HeaderParam(AegisHeaders.USER) String user, @PathParam("id") String id) {
        String owner = Callers.user(user);
        UUID jobId = Callers.jobId(id);
        return listing.of(jobId, owner).map(found -> new ArtifactList(jobId,
                found.orElseThrow(() -> ResultsResource.notFound(jobId)).stream().map(ArtifactView::of).toList()));
    }

    /**
     * Asks for an artifact to be made, for one made only when asked for ({@code on_request}); answers the
     * artifact: {@code 202} with {@code Retry-After} while it is being made (a download then answers the
     * same), {@code 200} once it is ready, or failed with its error. Any other artifact is answered as it
     * stands, nothing asked. Idempotent: asking again while it is made asks nothing more.
     */
    @POST
    @Path("/{name}/build")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<ArtifactView>> build(@HeaderParam(AegisHeaders.USER) String user, @PathParam("id") String id,
                                                 @PathParam("name") String name) {
        String owner = Callers.user(user);
        UUID jobId = Callers.jobId(id);
        String artifact = Callers.segment(name);
        return requests.ask(jobId, artifact, owner).map(found -> {
            ArtifactRow row = found.orElseThrow(() -> notFound(jobId));
            return row.state() == ArtifactState.PENDING
                    ? RestResponse.ResponseBuilder.create(RestResponse.Status.ACCEPTED, ArtifactView.of(row))
                            .header(HttpHeaders.RETRY_AFTER, ArtifactRequests.RETRY_AFTER.toSeconds()).build()
                    : RestResponse.ok(ArtifactView.of(row));
        });
    }

    /** A download of an artifact being made on request: {@code 202} with the artifact and when to come back. */
    static void inTheMaking(HttpServerResponse response, ArtifactRow row) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(202)
                .putHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON)
                .putHeader(HttpHeaders.RETRY_AFTER, Long.toString(ArtifactRequests.RETRY_AFTER.toSeconds()))
                .end(Json.encode(ArtifactView.of(row)));
    }

    static ProblemException notFound(UUID jobId) {
        return new ProblemException(404, "ARTIFACT_NOT_FOUND", "Artifact not found",
                "Job " + jobId + " has no artifact by that name.");
    }
}
