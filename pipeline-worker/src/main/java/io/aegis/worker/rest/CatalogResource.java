package io.aegis.worker.rest;

import io.aegis.events.Steps;
import io.aegis.worker.domain.BlastProgram;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** What can be run: the pipelines. The databases are {@link DatabasesResource}'s. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {

    public record PipelineView(String name, List<String> steps, List<String> programs) {
    }

    @GET
    @Path("/pipelines")
    public List<PipelineView> pipelines() {
        return List.of(new PipelineView("blast", Steps.BLAST, BlastProgram.names()));
    }
}
