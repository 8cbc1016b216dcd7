package io.aegis.worker.rest;

import io.aegis.events.Steps;
import io.aegis.worker.domain.BlastProgram;
import io.aegis.worker.service.DatabaseRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Locale;

/** What can be run: pipelines and BLAST databases. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {

    public record PipelineView(String name, List<String> steps, List<String> programs) {
    }

    public record DatabaseView(String name, String type, long sequences, long residues, String version) {
    }

    private final DatabaseRegistry databases;

    public CatalogResource(DatabaseRegistry databases) {
        this.databases = databases;
    }

    @GET
    @Path("/pipelines")
    public List<PipelineView> pipelines() {
        return List.of(new PipelineView("blast", Steps.BLAST, BlastProgram.names()));
    }

    @GET
    @Path("/databases")
    public List<DatabaseView> databases() {
        return databases.list().stream().map(d -> new DatabaseView(d.name(), d.type().name().toLowerCase(Locale.ROOT),
                d.sequences(), d.residues(), d.version())).toList();
    }
}
