package io.aegis.worker.rest;

import io.aegis.pipelines.Pipelines;
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

    public record DatabaseView(String name, String type, long sequences, long residues, String version) {
    }

    private final DatabaseRegistry databases;
    private final String pipelines;

    public CatalogResource(DatabaseRegistry databases, Pipelines pipelines) {
        this.databases = databases;
        this.pipelines = pipelines.toJson();
    }

    /**
     * Every pipeline's definition: its parameters with types, ranges, choices and defaults, its
     * steps with what each produces, and the columns of its hits.
     */
    @GET
    @Path("/pipelines")
    public String pipelines() {
        return pipelines;
    }

    @GET
    @Path("/databases")
    public List<DatabaseView> databases() {
        return databases.list().stream().map(d -> new DatabaseView(d.name(), d.type().name().toLowerCase(Locale.ROOT),
                d.sequences(), d.residues(), d.version())).toList();
    }
}
