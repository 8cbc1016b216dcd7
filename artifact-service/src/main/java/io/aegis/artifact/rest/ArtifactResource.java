package io.aegis.artifact.rest;

import io.aegis.artifact.domain.Artifact;
import io.aegis.artifact.service.ArtifactListing;
import io.aegis.contracts.http.AegisHeaders;
import io.aegis.events.ArtifactState;
import io.aegis.web.Callers;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

/**
 * A job's artifacts and their states, behind the gateway (caller in {@link AegisHeaders#USER}); never
 * waits for a build. A job of the caller's whose finalization has not started lists what it will have,
 * {@code pending}; anyone else's job is a 404, as an unknown one ({@link ArtifactListing}). The downloads
 * themselves are {@link DownloadRoutes}.
 */
@Path("/api/v1/jobs/{id}/artifacts")
public class ArtifactResource {

    /** One artifact: {@code kind} is {@code file} (downloadable by name) or {@code table} (read through /results). */
    public record ArtifactView(String name, String kind, ArtifactState state, Long size, String sha256,
                               String contentType, String error) {
        static ArtifactView of(Artifact a) {
            return new ArtifactView(a.name, a.kind, a.state, a.size, a.sha256, a.contentType, a.error);
        }
    }

    public record ArtifactList(UUID jobId, List<ArtifactView> items) {
    }

    private final ArtifactListing listing;

    public ArtifactResource(ArtifactListing listing) {
        this.listing = listing;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ArtifactList> list(@HeaderParam(AegisHeaders.USER) String user, @PathParam("id") String id) {
        String owner = Callers.user(user);
        UUID jobId = Callers.jobId(id);
        return listing.of(jobId, owner).map(found -> new ArtifactList(jobId,
                found.orElseThrow(() -> ResultsResource.notFound(jobId)).stream().map(ArtifactView::of).toList()));
    }
}
