package io.aegis.job.rest;

import io.aegis.events.AegisHeaders;
import io.aegis.events.JobSubmission;
import io.aegis.events.ProblemException;
import io.aegis.job.service.JobService;
import io.aegis.web.Callers;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Jobs, behind the gateway: the gateway has authenticated the caller and names them in
 * {@link AegisHeaders#USER}; the FASTA has been validated there.
 */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    private final JobService jobs;

    public JobResource(JobService jobs) {
        this.jobs = jobs;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<JobResponse>> submit(@HeaderParam(AegisHeaders.USER) String user, JobSubmission submission) {
        String owner = Callers.user(user);
        if (submission == null || submission.fasta() == null || submission.database() == null
                || submission.pipeline() == null || submission.sequenceCount() <= 0) {
            throw new ProblemException(400, "INVALID_REQUEST", "Invalid job",
                    "A job needs fasta, pipeline, database and a positive sequenceCount.");
        }
        return jobs.submit(owner, submission).map(job -> RestResponse.ResponseBuilder
                .<JobResponse>create(RestResponse.Status.ACCEPTED)
                .location(URI.create("/api/v1/jobs/" + job.id))
                .entity(JobResponse.of(job))
                .build());
    }

    @GET
    @Path("/{id}")
    public Uni<JobResponse> get(@HeaderParam(AegisHeaders.USER) String user, @PathParam("id") String id) {
        return jobs.find(Callers.user(user), Callers.jobId(id)).map(JobResponse::of);
    }

    @GET
    @Path("/{id}/execution-steps")
    public Uni<JobResponse.Steps> steps(@HeaderParam(AegisHeaders.USER) String user, @PathParam("id") String id) {
        return jobs.find(Callers.user(user), Callers.jobId(id)).map(job -> new JobResponse.Steps(job.id, JobResponse.steps(job)));
    }
}
