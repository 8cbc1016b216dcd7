package io.aegis.job.rest;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.contracts.http.JobSubmission;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.events.JobStatus;
import io.aegis.job.domain.HistoryQuery;
import io.aegis.job.domain.Job;
import io.aegis.job.repository.JobQueries;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Jobs, behind the gateway: the gateway has authenticated the caller and names them in
 * {@link AegisHeaders#USER}; the FASTA has been validated there.
 */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    private final JobService jobs;
    private final JobQueries queries;

    public JobResource(JobService jobs, JobQueries queries) {
        this.jobs = jobs;
        this.queries = queries;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Queue a validated job; 202 with the job (already succeeded when an identical result was reused)")
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
    @Operation(summary = "The caller's jobs, newest first, filtered, one page per keyset cursor")
    public Uni<JobQueries.Page> history(@HeaderParam(AegisHeaders.USER) String user,
                                        @QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
                                        @QueryParam("status") List<String> status,
                                        @QueryParam("pipeline") String pipeline,
                                        @QueryParam("database") String database, @QueryParam("q") String text,
                                        @QueryParam("from") String from, @QueryParam("to") String to) {
        return queries.history(HistoryQuery.parse(Callers.user(user), limit, cursor, status, pipeline, database,
                text, from, to));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "The job with its steps, progress, attempt, error and, while queued, its place in the queue")
    public Uni<JobResponse> get(@HeaderParam(AegisHeaders.USER) String user, @PathParam("id") String id) {
        return jobs.find(Callers.user(user), Callers.jobId(id)).chain(this::withQueuePosition);
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel: 200 when cancelled, 202 while the worker stops it, 409 when it already finished")
    public Uni<RestResponse<JobResponse>> cancel(@HeaderParam(AegisHeaders.USER) String user, @PathParam("id") String id) {
        return jobs.cancel(Callers.user(user), Callers.jobId(id)).map(job -> RestResponse.ResponseBuilder
                .<JobResponse>create(job.status == JobStatus.CANCELLING ? RestResponse.Status.ACCEPTED : RestResponse.Status.OK)
                .entity(JobResponse.of(job))
                .build());
    }

    @POST
    @Path("/{id}/retry")
    @Operation(summary = "Retry a failed or cancelled job: 202 with its next attempt, queued; batches an earlier "
            + "attempt finished are not searched again; 409 for a job in any other state")
    public Uni<RestResponse<JobResponse>> retry(@HeaderParam(AegisHeaders.USER) String user, @PathParam("id") String id) {
        return jobs.retry(Callers.user(user), Callers.jobId(id))
                .map(job -> RestResponse.ResponseBuilder.create(RestResponse.Status.ACCEPTED, JobResponse.of(job)).build());
    }

    @GET
    @Path("/{id}/execution-steps")
    @Operation(summary = "The job's execution steps")
    public Uni<JobResponse.Steps> steps(@HeaderParam(AegisHeaders.USER) String user, @PathParam("id") String id) {
        return jobs.find(Callers.user(user), Callers.jobId(id)).map(job -> new JobResponse.Steps(job.id, JobResponse.steps(job)));
    }

    private Uni<JobResponse> withQueuePosition(Job job) {
        if (job.status != JobStatus.QUEUED) {
            return Uni.createFrom().item(JobResponse.of(job));
        }
        // null when the job left the queue since it was read
        return queries.queuePosition(job.id).map(position -> JobResponse.of(job, position));
    }
}
