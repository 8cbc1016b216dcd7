package io.aegis.logstream.client;

import io.aegis.contracts.http.AegisHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** job-service, for the snapshot that opens every stream. */
@RegisterRestClient(configKey = "job-service")
@Path("/api/v1/jobs")
public interface JobServiceClient {

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> job(@HeaderParam(AegisHeaders.IDENTITY) String identity, @PathParam("id") String id);
}
