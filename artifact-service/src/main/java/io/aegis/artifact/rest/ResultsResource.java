package io.aegis.artifact.rest;

import io.aegis.artifact.config.StoreConfig;
import io.aegis.artifact.domain.HitCursor;
import io.aegis.artifact.domain.HitSort;
import io.aegis.artifact.domain.JobHitColumns;
import io.aegis.artifact.repository.ResultsRepository.HitRow;
import io.aegis.artifact.repository.ResultsRepository.Results;
import io.aegis.artifact.repository.ResultsRepository;
import io.aegis.contracts.http.AegisHeaders;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.events.ArtifactState;
import io.aegis.events.StoreLayout;
import io.aegis.pipelines.HitValues;
import io.aegis.pipelines.PipelineDefinition.Column;
import io.aegis.pipelines.Pipelines;
import io.aegis.web.Callers;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * A finished job's hits, paged and sorted from the hit table, and its summary. Only the owner sees
 * either (anyone else: 404, as for an unknown job); until they are built: 409 {@code RESULTS_NOT_READY}.
 */
@Path("/api/v1/jobs/{id}/results")
public class ResultsResource {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    static final String SUMMARY = "summary.json";

    /**
     * One page of hits: {@code items} are objects of {@code columns}, typed as the job's pipeline
     * declares them, as in hits.json ({@link JobHitColumns}); {@code total} counts every hit of the
     * job (of the query, when filtered); {@code next} is the cursor of the following page, null on the last.
     */
    public record HitPage(UUID jobId, String sort, String query, List<String> columns, long total,
                          List<Map<String, Object>> items, String next) {
    }

    private final ResultsRepository repository;
    private final StoreLayout store;
    private final Vertx vertx;
    private final JobHitColumns hitColumns;

    public ResultsResource(ResultsRepository repository, StoreConfig config, Vertx vertx) {
        this.repository = repository;
        this.store = new StoreLayout(config.root());
        this.vertx = vertx;
        this.hitColumns = new JobHitColumns(Pipelines.load(Optional.empty()));
    }

    @GET
    @Path("/hits")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<HitPage> hits(@HeaderParam(AegisHeaders.USER) String user, @PathParam("id") String id,
                             @QueryParam("sort") String sortName, @QueryParam("query") String query,
                             @QueryParam("limit") String limitText, @QueryParam("cursor") String cursorText) {
        String owner = Callers.user(user);
        UUID jobId = Callers.jobId(id);
        HitSort sort = HitSort.named(sortName).orElseThrow(() -> new ProblemException(400, "INVALID_SORT", "Invalid sort",
                "Hits sort by " + String.join(", ", Arrays.stream(HitSort.values()).map(HitSort::column).toList()) + "."));
        int limit = limit(limitText);
        HitCursor after = cursorText == null || cursorText.isBlank() ? null : HitCursor.decode(cursorText, sort)
                .orElseThrow(() -> new ProblemException(400, "INVALID_CURSOR", "Invalid cursor",
                        "The cursor is not one this listing gave out for sort " + sort.column() + "."));
        String filter = query == null || query.isEmpty() ? null : query;
        return repository.results(jobId, owner).chain(results -> {
            requireHits(jobId, results);
            List<Column> columns = hitColumns.of(results.hitColumns(), results.hitTypes());
            Uni<Long> total = filter == null && results.hitCount() != null
                    ? Uni.createFrom().item(results.hitCount()) : repository.count(jobId, filter);
            return Uni.combine().all().unis(total, repository.page(jobId, sort, filter, after, limit + 1))
                    .with((count, rows) -> page(jobId, sort, filter, columns, count, rows, limit));
        });
    }

    @GET
    @Path("/summary")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<java.nio.file.Path>> summary(@HeaderParam(AegisHeaders.USER) String user,
                                                        @PathParam("id") String id) {
        String owner = Callers.user(user);
        UUID jobId = Callers.jobId(id);
        return repository.results(jobId, owner)
                .invoke(results -> {
                    if (!results.visible()) {
                        throw notFound(jobId);
                    }
                })
                .chain(results -> repository.artifact(jobId, SUMMARY, owner))
                .chain(row -> {
                    if (row == null || row.state() != ArtifactState.READY || !row.isFile()) {
                        throw notReady(jobId);
                    }
                    return vertx.executeBlocking(Uni.createFrom().item(() -> JobFiles.resolve(store, jobId, row.location())));
                })
                .map(file -> RestResponse.ResponseBuilder.ok(file.orElseThrow(() -> notReady(jobId)))
                        .header("Content-Type", MediaType.APPLICATION_JSON)
                        .header("X-Content-Type-Options", "nosniff")
                        .build());
    }

    private HitPage page(UUID jobId, HitSort sort, String query, List<Column> columns, long total, List<HitRow> rows,
                         int limit) {
        HitValues values = new HitValues(columns);
        List<HitRow> shown = rows.size() > limit ? rows.subList(0, limit) : rows;
        String next = null;
        if (rows.size() > limit) {
            HitRow last = shown.getLast();
            next = new HitCursor(sort, last.key(), last.ord()).encode();
        }
        return new HitPage(jobId, sort.column(), query, values.names(),
                total, shown.stream().map(row -> values.of(row.line())).toList(), next);
    }

    private static int limit(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ProblemException(400, "INVALID_LIMIT", "Invalid limit",
                "limit must be a whole number from 1 to " + MAX_LIMIT + ".");
    }

    private static void requireHits(UUID jobId, Results results) {
        if (!results.visible()) {
            throw notFound(jobId);
        }
        if (results.hits() != ArtifactState.READY) {
            throw notReady(jobId);
        }
    }

    static ProblemException notFound(UUID jobId) {
        return new ProblemException(404, "ARTIFACTS_NOT_FOUND", "No artifacts", "Job " + jobId + " has no artifacts (yet).");
    }

    static ProblemException notReady(UUID jobId) {
        return new ProblemException(409, "RESULTS_NOT_READY", "Results not ready",
                "The results of job " + jobId + " are being prepared; try again shortly.");
    }
}
