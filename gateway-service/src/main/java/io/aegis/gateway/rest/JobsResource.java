package io.aegis.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.aegis.contracts.problem.Problem;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.events.EventJson;
import io.aegis.gateway.domain.SubmissionRules;
import io.aegis.gateway.domain.SubmitRequest;
import io.aegis.gateway.service.Identity;
import io.aegis.gateway.service.JobSubmitter;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Submitting jobs: validated here, stored and queued by job-service.
 *
 * <p>A submit runs on a worker thread ({@link Blocking}), never on an event loop: its body (up to
 * {@code quarkus.http.limits.max-body-size}, 16 MiB) is decoded there and the uploaded file read there,
 * and once the rate, quota and catalog checks have answered (on event loops) the FASTA is parsed and
 * the job encoded back on a worker ({@code emitOn}). The event loops keep serving the proxied routes
 * and event streams meanwhile; the calls to Redis and the services stay non-blocking.
 */
@Path("/api/v1/jobs")
public class JobsResource {

    private final JobSubmitter submitter;
    private final SubmissionRules.Limits limits;

    public JobsResource(JobSubmitter submitter) {
        this.submitter = submitter;
        this.limits = submitter.limits();
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a job with the FASTA in a JSON body; 202 with the queued job")
    public Uni<Response> submitJson(SubmitRequest request, RoutingContext context) {
        if (request == null) {
            throw SubmissionRules.mistyped("");
        }
        return submit(Identity.user(context), request);
    }

    @POST
    @Blocking
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a job with the FASTA as a file part; 202 with the queued job")
    public Uni<Response> submitMultipart(@RestForm("file") FileUpload file, @RestForm String pipeline,
                                         @RestForm String database, @RestForm String name,
                                         @RestForm("params") String params, @RestForm String reuse,
                                         RoutingContext context) {
        if (file == null) {
            throw new ProblemException(400, "INVALID_FASTA", "Invalid job", "Send the FASTA as a 'file' part.");
        }
        if (file.size() > limits.maxFastaBytes()) {
            throw new ProblemException(400, "INPUT_TOO_LARGE", "Invalid job",
                    "The FASTA is larger than " + limits.maxFastaBytes() + " bytes.");
        }
        SubmitRequest request = new SubmitRequest(read(file), file.fileName(), pipeline, database, params(params), name,
                reuse == null || reuse.isBlank() ? null : !"false".equalsIgnoreCase(reuse.trim()));
        return submit(Identity.user(context), request);
    }

    private Uni<Response> submit(String user, SubmitRequest request) {
        return submitter.submit(user, request)
                .map(answer -> {
                    Response.ResponseBuilder response = Response.status(answer.status())
                            .type(answer.contentType() == null ? MediaType.APPLICATION_JSON : answer.contentType())
                            .entity(answer.body().getBytes());
                    if (answer.retryAfter() != null) {
                        response.header("Retry-After", answer.retryAfter());
                    }
                    if (answer.location() != null) {
                        // the path only: job-service's absolute URI names an address clients cannot reach
                        response.header("Location", URI.create(answer.location()).getRawPath());
                    }
                    return response.build();
                });
    }

    /**
     * A JSON body that is not a job: not JSON at all, or JSON of another shape (an array, a string,
     * {@code params} that are no object). Without this, Quarkus answers such bodies itself, in a
     * format of its own.
     */
    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        Problem problem = (e instanceof JsonMappingException mapping ? SubmissionRules.mistyped(field(mapping))
                : SubmissionRules.notJson()).problem();
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** The field of the body that has the wrong type as a client names it ({@code params}); "" for the whole body. */
    private static String field(JsonMappingException e) {
        return e.getPath().stream()
                .map(at -> at.getFieldName() != null ? at.getFieldName() : "[" + at.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> params(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return EventJson.decode(json, Map.class);
        } catch (UncheckedIOException e) {
            throw new ProblemException(400, "INVALID_PARAMETER", "Invalid job", "params must be a JSON object.");
        }
    }

    private static String read(FileUpload file) {
        try {
            return Files.readString(file.uploadedFile());
        } catch (MalformedInputException e) {
            throw new ProblemException(400, "INVALID_FASTA", "Invalid job", "The file is not UTF-8 text.");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
