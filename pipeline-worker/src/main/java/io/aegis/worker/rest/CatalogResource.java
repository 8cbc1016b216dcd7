package io.aegis.worker.rest;

import io.aegis.pipelines.Pipelines;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** What can be run: the pipelines. The databases are {@link DatabasesResource}'s. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {

    private final String pipelines;

    public CatalogResource(Pipelines pipelines) {
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
}
