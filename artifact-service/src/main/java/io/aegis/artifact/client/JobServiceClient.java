package io.aegis.artifact.client;

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

/**
 * job-service, for a finished job's execution steps ({@code steps.json}), and for a job whose
 * finalization has not started: whether it is the caller's, and its state (the artifact list).
 */
@RegisterRestClient(configKey = "job-service")
@Path("/api/v1/jobs")
public interface JobServiceClient {

    /** The job, for the caller the identity names: 200 with a {@link JobSummary}, 404 when it is not theirs. */
    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> job(@HeaderParam(AegisHeaders.IDENTITY) String identity, @PathParam("id") String id);

    @GET
    @Path("/{id}/execution-steps")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> executionSteps(@HeaderParam(AegisHeaders.IDENTITY) String identity, @PathParam("id") String id);
}
