package io.aegis.artifact.rest;

import io.aegis.artifact.config.StoreConfig;
import io.aegis.artifact.domain.AlignmentFormat;
import io.aegis.artifact.domain.HitCursor;
import io.aegis.artifact.domain.HitSort;
import io.aegis.artifact.domain.JobHitColumns;
import io.aegis.artifact.domain.PairwiseAlignment;
import io.aegis.artifact.domain.TopAlignments;
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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
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
     * declares them, as in hits.json ({@link JobHitColumns}), each with its {@code ord} too: its place
     * in hits.tsv from 0, the hit's stable number for its alignment and for {@code hits.fasta?hits=};
     * {@code total} counts every hit of the job (of the query, when filtered); {@code next} is the cursor
     * of the following page, null on the last.
     */
    public record HitPage(UUID jobId, String sort, String query, List<String> columns, long total,
                          List<Map<String, Object>> items, String next) {
    }

    /** The key each page item carries its hit's number under. */
    public static final String ORD = "ord";

    /**
     * One hit as a pairwise alignment, with the BLAST column names of the values it comes from:
     * {@code stitle} (the subject's description), {@code qlen}, {@code slen} and {@code qcovs} are null
     * when the job's hits have no such column; {@code midline} shows the residue where query and
     * subject agree, a space elsewhere (as the text form draws it).
     */
    public record HitAlignment(UUID jobId, long ord, String qseqid, String sseqid, String stitle, Long qlen, Long slen,
                               Double qcovs, Double pident, Long length, Double evalue, Double bitscore, long qstart,
                               long qend, long sstart, long send, String qseq, String midline, String sseq) {

        static HitAlignment of(UUID jobId, long ord, PairwiseAlignment a) {
            return new HitAlignment(jobId, ord, a.queryId(), a.subjectId(), a.description(), whole(a.queryLength()),
                    whole(a.subjectLength()), decimal(a.queryCoverage()), decimal(a.identity()), whole(a.length()),
                    decimal(a.evalue()), decimal(a.bitscore()), a.queryStart(), a.queryEnd(), a.subjectStart(),
                    a.subjectEnd(), a.query(), a.midline(), a.subject());
        }

        private static Long whole(String text) {
            try {
                return text == null ? null : Long.parseLong(text.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }

        private static Double decimal(String text) {
            try {
                double value = text == null ? Double.NaN : Double.parseDouble(text);
                return Double.isFinite(value) ? value : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
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
    @Operation(summary = "One page of the job's hits, sorted (evalue, bitscore or identity), of one query when asked;"
            + " each item has its hit's ord")
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

    /**
     * Any one hit of the job drawn as a pairwise alignment: JSON ({@link HitAlignment}), or BLAST-style
     * text when asked with {@code format=text} or {@code Accept: text/plain} (drawn by
     * {@link PairwiseAlignment}, as alignments.txt is). 404 {@code HIT_NOT_FOUND} for a number that is
     * no hit of the job; 409 {@code NO_ALIGNED_SEQUENCES} when its hits have no qseq and sseq.
     */
    @GET
    @Path("/hits/{ord}/alignment")
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    @Operation(summary = "One hit (by its ord, as hit pages give it) as a pairwise alignment: JSON, or text with"
            + " format=text or Accept: text/plain")
    @APIResponse(responseCode = "200", description = "The alignment", content = {
        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = HitAlignment.class)),
        @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "400", description = "INVALID_HIT (ord is no whole number from 0) or INVALID_FORMAT")
    @APIResponse(responseCode = "404", description = "ARTIFACTS_NOT_FOUND (no such job of the caller's) or HIT_NOT_FOUND")
    @APIResponse(responseCode = "409", description = "RESULTS_NOT_READY, or NO_ALIGNED_SEQUENCES (the hits have no qseq and sseq)")
    public Uni<RestResponse<Object>> alignment(@HeaderParam(AegisHeaders.USER) String user, @PathParam("id") String id,
                                               @PathParam("ord") String ordText, @QueryParam("format") String format,
                                               @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        String owner = Callers.user(user);
        UUID jobId = Callers.jobId(id);
        long ord = ord(ordText);
        boolean text = AlignmentFormat.of(format, accept).orElseThrow(() -> new ProblemException(400, "INVALID_FORMAT",
                "Invalid format", "format is json or text.")) == AlignmentFormat.TEXT;
        return repository.results(jobId, owner).chain(results -> {
            requireHits(jobId, results);
            List<String> columns = hitColumns.of(results.hitColumns(), results.hitTypes()).stream()
                    .map(Column::name).toList();
            if (!PairwiseAlignment.drawable(columns)) {
                throw noAlignedSequences(jobId, columns);
            }
            return repository.hit(jobId, ord).map(line -> {
                if (line == null) {
                    throw new ProblemException(404, "HIT_NOT_FOUND", "Hit not found",
                            "Job " + jobId + " has no hit " + ord + ".");
                }
                PairwiseAlignment alignment = PairwiseAlignment.Columns.of(columns).read(line.split("\t", -1));
                return text ? RestResponse.ResponseBuilder.<Object>ok(drawn(alignment), MediaType.TEXT_PLAIN_TYPE
                                .withCharset("UTF-8")).build()
                        : RestResponse.ResponseBuilder.<Object>ok(HitAlignment.of(jobId, ord, alignment),
                                MediaType.APPLICATION_JSON_TYPE).build();
            });
        });
    }

    private static String drawn(PairwiseAlignment alignment) {
        StringWriter out = new StringWriter();
        out.write(TopAlignments.heading(alignment.queryId()));
        try {
            alignment.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static long ord(String text) {
        try {
            long ord = Long.parseLong(text);
            if (ord >= 0) {
                return ord;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ProblemException(400, "INVALID_HIT", "Invalid hit",
                "A hit is named by its ord, a whole number from 0, as hit pages give it.");
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
                total, shown.stream().map(row -> item(row, values)).toList(), next);
    }

    /** A page item: the hit's number, then its values. */
    private static Map<String, Object> item(HitRow row, HitValues values) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put(ORD, row.ord());
        item.putAll(values.of(row.line()));
        return item;
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

    static ProblemException noAlignedSequences(UUID jobId, List<String> columns) {
        return new ProblemException(409, "NO_ALIGNED_SEQUENCES", "No aligned sequences",
                "The hits of job " + jobId + " have no aligned sequences to show (their columns are "
                        + String.join(", ", columns) + ").");
    }

    static ProblemException notReady(UUID jobId) {
        return new ProblemException(409, "RESULTS_NOT_READY", "Results not ready",
                "The results of job " + jobId + " are being prepared; try again shortly.");
    }
}
