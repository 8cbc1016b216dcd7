package io.aegis.artifact.rest;

import io.aegis.artifact.domain.Artifact;
import io.aegis.events.AegisHeaders;
import io.aegis.events.ArtifactState;
import io.aegis.events.ProblemException;
import io.aegis.web.Callers;
import io.quarkus.hibernate.reactive.panache.Panache;
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
 * waits for a build. The downloads themselves are {@link DownloadRoutes}.
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

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ArtifactList> list(@HeaderParam(AegisHeaders.USER) String user, @PathParam("id") String id) {
        String owner = Callers.user(user);
        UUID jobId = Callers.jobId(id);
        return Panache.withSession(() -> Artifact.<Artifact>list("jobId = ?1 and owner = ?2 order by name", jobId, owner))
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw new ProblemException(404, "ARTIFACTS_NOT_FOUND", "No artifacts",
                                "Job " + jobId + " has no artifacts (yet).");
                    }
                    return new ArtifactList(jobId, rows.stream().map(ArtifactView::of).toList());
                });
    }
}
