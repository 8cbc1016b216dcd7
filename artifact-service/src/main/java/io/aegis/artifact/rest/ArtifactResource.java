package io.aegis.artifact.rest;

import io.aegis.artifact.config.StoreConfig;
import io.aegis.artifact.domain.Artifact;
import io.aegis.artifact.domain.ContentDisposition;
import io.aegis.artifact.domain.Manifest;
import io.aegis.events.AegisHeaders;
import io.aegis.events.ArtifactState;
import io.aegis.events.ProblemException;
import io.aegis.events.StoreLayout;
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
import org.jboss.resteasy.reactive.RestResponse;

/** A job's artifacts and their downloads, behind the gateway (caller in {@link AegisHeaders#USER}). */
@Path("/api/v1/jobs/{id}/artifacts")
public class ArtifactResource {

    public record ArtifactView(String name, ArtifactState state, Long size, String sha256, String contentType,
                               String error) {
        static ArtifactView of(Artifact a) {
            return new ArtifactView(a.name, a.state, a.size, a.sha256, a.contentType, a.error);
        }
    }

    public record ArtifactList(UUID jobId, List<ArtifactView> items) {
    }

    private final StoreLayout store;

    public ArtifactResource(StoreConfig config) {
        this.store = new StoreLayout(config.root());
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

    @GET
    @Path("/{name}")
    public Uni<RestResponse<java.nio.file.Path>> download(@HeaderParam(AegisHeaders.USER) String user,
                                                         @PathParam("id") String id, @PathParam("name") String name) {
        String owner = Callers.user(user);
        UUID jobId = Callers.jobId(id);
        return Panache.withSession(() -> Artifact.<Artifact>find("jobId = ?1 and name = ?2 and owner = ?3",
                        jobId, name, owner).firstResult())
                .map(artifact -> {
                    if (artifact == null) {
                        throw new ProblemException(404, "ARTIFACT_NOT_FOUND", "Artifact not found",
                                "Job " + jobId + " has no artifact by that name.");
                    }
                    if (artifact.state != ArtifactState.READY) {
                        throw new ProblemException(409, "ARTIFACT_NOT_READY", "Artifact not ready",
                                artifact.name + " is " + artifact.state.wire() + ".");
                    }
                    java.nio.file.Path file = fileOf(jobId, artifact.name);
                    return RestResponse.ResponseBuilder.ok(file)
                            .header("Content-Type", artifact.contentType)
                            .header("Content-Disposition", ContentDisposition.attachment(artifact.name))
                            .header("X-Content-Type-Options", "nosniff")
                            .build();
                });
    }

    /** Only recorded names get here; the check keeps even those inside the job's folder. */
    private java.nio.file.Path fileOf(UUID jobId, String name) {
        java.nio.file.Path dir = Manifest.NAME.equals(name) ? store.artifacts(jobId) : store.results(jobId);
        java.nio.file.Path file = dir.resolve(name).normalize();
        if (!file.startsWith(dir) || !java.nio.file.Files.isRegularFile(file)) {
            throw new ProblemException(404, "ARTIFACT_NOT_FOUND", "Artifact not found", "The file is gone.");
        }
        return file;
    }
}
