package io.aegis.artifact.rest;

import io.aegis.artifact.domain.HitFasta;
import io.aegis.artifact.domain.JobHitColumns;
import io.aegis.artifact.repository.ResultsRepository;
import io.aegis.artifact.repository.ResultsRepository.Results;
import io.aegis.artifact.service.SearchedDatabase;
import io.aegis.contracts.http.AegisHeaders;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.events.ArtifactState;
import io.aegis.events.SearchArchive;
import io.aegis.pipelines.PipelineDefinition.Column;
import io.aegis.pipelines.Pipelines;
import io.aegis.web.Callers;
import io.aegis.web.RouteProblems;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code GET /api/v1/jobs/{id}/results/hits.fasta}: a job's hits as FASTA, for its owner only (anyone
 * else: 404, as for an unknown job), streamed as it is made, never whole in memory ({@link HitFasta}
 * has the rules). {@code region=aligned} (the default) pages the hit table; {@code region=full} reads
 * each subject once with {@code blastdbcmd} from the database searched, at the version searched
 * ({@link SearchedDatabase}). {@code query=} keeps one query's hits, {@code hits=} a chosen set by
 * their {@code ord} (as hit pages show it; numbers that are no hit of the job are left out).
 *
 * <p>A plain Vert.x route, as the downloads are ({@link DownloadRoutes}): the body is written chunk by
 * chunk as the client drains it; its OpenAPI description is in {@code META-INF/openapi.yaml}.
 */
@ApplicationScoped
public class HitFastaRoutes {

    static final String PATH = "/api/v1/jobs/:id/results/hits.fasta";
    static final String FASTA = "text/x-fasta; charset=UTF-8";

    private final ResultsRepository repository;
    private final SearchedDatabase databases;
    private final Vertx vertx;
    private final JobHitColumns hitColumns;

    public HitFastaRoutes(ResultsRepository repository, SearchedDatabase databases, Vertx vertx) {
        this.repository = repository;
        this.databases = databases;
        this.vertx = vertx;
        this.hitColumns = new JobHitColumns(Pipelines.load(Optional.empty()));
    }

    void register(@Observes Router router) {
        router.get(PATH).handler(this::fasta);
    }

    /** What was asked, checked before anything is read. */
    private record Asked(String owner, UUID jobId, HitFasta.Region region, String query, List<Long> ords) {
    }

    private void fasta(RoutingContext context) {
        Asked asked;
        try {
            asked = asked(context);
        } catch (ProblemException e) {
            RouteProblems.sendUnlessAnswered(context.response(), e);
            return;
        }
        repository.results(asked.jobId(), asked.owner()).subscribe().with(results -> {
            try {
                List<String> columns = requireHits(asked.jobId(), results);
                switch (asked.region()) {
                    case ALIGNED -> aligned(context.response(), asked, columns);
                    case FULL -> full(context.response(), asked, columns, results);
                }
            } catch (ProblemException e) {
                RouteProblems.sendUnlessAnswered(context.response(), e);
            }
        }, failure -> failed(context.response(), failure));
    }

    private static Asked asked(RoutingContext context) {
        String owner = Callers.user(context.request().getHeader(AegisHeaders.USER));
        UUID jobId = Callers.jobId(context.pathParam("id"));
        HitFasta.Region region = HitFasta.Region.named(context.queryParams().get("region"))
                .orElseThrow(() -> new ProblemException(400, "INVALID_REGION", "Invalid region",
                        "region is aligned (the aligned part of each subject) or full (each subject's whole sequence)."));
        List<Long> ords = HitFasta.selection(context.queryParams().get("hits"))
                .orElseThrow(() -> new ProblemException(400, "INVALID_HITS", "Invalid hits",
                        "hits is a comma-separated list of at most " + HitFasta.MAX_SELECTED
                                + " hit numbers (each hit's ord, from 0)."));
        String query = context.queryParams().get("query");
        return new Asked(owner, jobId, region, query == null || query.isEmpty() ? null : query, ords);
    }

    private List<String> requireHits(UUID jobId, Results results) {
        if (!results.visible()) {
            throw ResultsResource.notFound(jobId);
        }
        if (results.hits() != ArtifactState.READY) {
            throw ResultsResource.notReady(jobId);
        }
        return hitColumns.of(results.hitColumns(), results.hitTypes()).stream().map(Column::name).toList();
    }

    private void aligned(HttpServerResponse response, Asked asked, List<String> columns) {
        if (!HitFasta.Aligned.possible(columns)) {
            throw ResultsResource.noAlignedSequences(asked.jobId(), columns);
        }
        send(response, new AlignedChunks(repository, HitFasta.Aligned.of(columns), asked.jobId(), asked.query(),
                asked.ords()));
    }

    private void full(HttpServerResponse response, Asked asked, List<String> columns, Results results) {
        if (!columns.contains("sseqid")) {
            throw ResultsResource.noAlignedSequences(asked.jobId(), columns);
        }
        vertx.executeBlocking(() -> {
            SearchArchive search = databases.searched(asked.jobId(), results.reusedFrom());
            databases.requireVersionSearched(search);
            Path folder = Files.createTempDirectory("aegis-fasta-");
            try {
                // taken one at a time through the cursor, on this worker thread, into the batch file
                Iterable<String> subjects = repository.subjects(asked.jobId(), asked.query(), asked.ords())
                        .subscribe().asIterable();
                return SubjectChunks.start(folder, search.databasePath(), subjects);
            } catch (RuntimeException | java.io.IOException e) {
                try (var files = Files.list(folder)) {
                    files.forEach(path -> path.toFile().delete());
                }
                Files.deleteIfExists(folder);
                throw e;
            }
        }, false).onComplete(started -> {
            if (started.failed()) {
                failed(response, started.cause());
            } else {
                send(response, started.result());
            }
        });
    }

    private void send(HttpServerResponse response, Chunks chunks) {
        response.putHeader(HttpHeaders.CONTENT_TYPE, FASTA)
                .putHeader("X-Content-Type-Options", "nosniff")
                .setChunked(true);
        Chunks.send(vertx, response, chunks);
    }

    private static void failed(HttpServerResponse response, Throwable failure) {
        RouteProblems.failed(response, "Hits as FASTA", failure);
    }
}
