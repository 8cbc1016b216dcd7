package io.aegis.artifact.rest;

import io.aegis.artifact.blast.BlastFormat;
import io.aegis.artifact.config.StoreConfig;
import io.aegis.artifact.domain.Compression;
import io.aegis.artifact.domain.ContentDisposition;
import io.aegis.artifact.domain.ContentTypes;
import io.aegis.artifact.domain.Manifest;
import io.aegis.artifact.domain.RangeRequest;
import io.aegis.artifact.domain.ZipLayout;
import io.aegis.artifact.repository.ResultsRepository.ArtifactRow;
import io.aegis.artifact.repository.ResultsRepository;
import io.aegis.artifact.service.ArtifactRequests;
import io.aegis.contracts.http.AegisHeaders;
import io.aegis.contracts.problem.Problem;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.events.ArtifactState;
import io.aegis.events.StoreLayout;
import io.aegis.web.Callers;
import io.aegis.web.RouteProblems;
import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Downloads, straight from the store to the socket: one artifact ({@code sendFile}, zero copy, with
 * byte ranges, or gzip-compressed on the fly when the client takes it), and the export of every
 * ready file of a job as one zip made as it is sent. The download of an artifact made only when asked
 * for ({@code on_request}) asks for it and answers {@code 202} with {@code Retry-After} until it is made
 * ({@link ArtifactRequests}). Plain Vert.x routes rather than resource methods,
 * because both need the response itself: {@code sendFile} with an offset, and a body written chunk by
 * chunk as the client drains it.
 */
@ApplicationScoped
public class DownloadRoutes {

    private static final String ZIP = "application/zip";

    private final ResultsRepository repository;
    private final ArtifactRequests requests;
    private final StoreLayout store;
    private final Vertx vertx;

    public DownloadRoutes(ResultsRepository repository, ArtifactRequests requests, StoreConfig config, Vertx vertx) {
        this.repository = repository;
        this.requests = requests;
        this.store = new StoreLayout(config.root());
        this.vertx = vertx;
    }

    void register(@Observes Router router) {
        router.get("/api/v1/jobs/:id/artifacts/:name").handler(this::download);
        router.get("/api/v1/jobs/:id/export").handler(this::export);
    }

    // ------------------------------------------------------------------ one artifact

    private void download(RoutingContext context) {
        String owner;
        UUID jobId;
        String name;
        try {
            owner = Callers.user(context.request().getHeader(AegisHeaders.USER));
            jobId = Callers.jobId(context.pathParam("id"));
            name = Callers.segment(context.pathParam("name"));
        } catch (ProblemException e) {
            RouteProblems.sendUnlessAnswered(context.response(), e);
            return;
        }
        requests.ask(jobId, name, owner).subscribe().with(asked -> {
            ArtifactRow row = asked.orElse(null);
            if (row == null || !row.isFile()) {
                RouteProblems.sendUnlessAnswered(context.response(), ArtifactResource.notFound(jobId).problem());
            } else if (row.state() == ArtifactState.PENDING && BlastFormat.isArtifact(row.name())) {
                // made on request: this download (or an earlier one) asked for it, and it is being made
                ArtifactResource.inTheMaking(context.response(), row);
            } else if (row.state() != ArtifactState.READY) {
                RouteProblems.sendUnlessAnswered(context.response(), Problem.of(409, "ARTIFACT_NOT_READY",
                        "Artifact not ready", "The artifact is " + row.state().wire() + "."));
            } else {
                vertx.executeBlocking(() -> located(jobId, row), false).onComplete(found -> {
                    if (found.failed() || found.result().isEmpty()) {
                        RouteProblems.sendUnlessAnswered(context.response(), Problem.of(404, "ARTIFACT_NOT_FOUND",
                                "Artifact not found", "The artifact's file is gone."));
                    } else {
                        send(context, row, found.result().get());
                    }
                });
            }
        }, failure -> failed(context.response(), failure));
    }

    private record Located(Path file, long size) {
    }

    private Optional<Located> located(UUID jobId, ArtifactRow row) throws IOException {
        Optional<Path> file = JobFiles.resolve(store, jobId, row.location());
        return file.isEmpty() ? Optional.empty() : Optional.of(new Located(file.get(), Files.size(file.get())));
    }

    private void send(RoutingContext context, ArtifactRow row, Located located) {
        HttpServerResponse response = context.response();
        String type = row.contentType() != null ? row.contentType() : ContentTypes.of(row.name());
        boolean compressible = Compression.compressible(type, row.name());
        String etag = row.sha256() == null ? null : "\"" + row.sha256() + "\"";
        response.putHeader(HttpHeaders.CONTENT_TYPE, type)
                .putHeader("Content-Disposition", ContentDisposition.attachment(row.name()))
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Accept-Ranges", "bytes");
        if (compressible) {
            response.putHeader("Vary", "Accept-Encoding");
        }
        String range = context.request().getHeader("Range");
        String ifRange = context.request().getHeader("If-Range");
        if (range != null && ifRange != null && (etag == null || !etag.equals(ifRange.strip()))) {
            range = null;   // the file changed since the part the client holds: all of it again
        }
        RangeRequest wanted = RangeRequest.parse(range, located.size());
        switch (wanted) {
            case RangeRequest.Unsatisfiable unsatisfiable -> {
                response.headers().remove("Content-Disposition");
                response.putHeader("Content-Range", unsatisfiable.contentRange(located.size()));
                RouteProblems.sendUnlessAnswered(response, Problem.of(416, "RANGE_NOT_SATISFIABLE",
                        "Range not satisfiable",
                        "The artifact has " + located.size() + " bytes; the range asked for none of them."));
            }
            case RangeRequest.Partial part -> {
                putETag(response, etag);
                response.setStatusCode(206).putHeader("Content-Range", part.contentRange(located.size()));
                sendFile(response, located.file(), part.start(), part.length());
            }
            case RangeRequest.Full full -> {
                if (range == null && compressible
                        && Compression.acceptsGzip(context.request().getHeader(HttpHeaders.ACCEPT_ENCODING))) {
                    // another representation, so another tag: a client never mixes its bytes with the file's
                    putETag(response, etag == null ? null : "\"" + row.sha256() + "-gzip\"");
                    response.putHeader("Content-Encoding", "gzip").setChunked(true);
                    vertx.executeBlocking(() -> new GzipChunks(located.file()), false).onComplete(opened -> {
                        if (opened.failed()) {
                            failed(response, opened.cause());
                        } else {
                            Chunks.send(vertx, response, opened.result());
                        }
                    });
                } else {
                    putETag(response, etag);
                    sendFile(response, located.file(), 0, located.size());
                }
            }
        }
    }

    private static void putETag(HttpServerResponse response, String etag) {
        if (etag != null) {
            response.putHeader("ETag", etag);
        }
    }

    private static void sendFile(HttpServerResponse response, Path file, long offset, long length) {
        response.sendFile(file.toString(), offset, length).onFailure(failure -> {
            Log.warnf(failure, "Sending %s failed", file);
            if (!response.closed() && !response.ended()) {
                response.reset();
            }
        });
    }

    // ------------------------------------------------------------------ the export

    private void export(RoutingContext context) {
        String owner;
        UUID jobId;
        try {
            owner = Callers.user(context.request().getHeader(AegisHeaders.USER));
            jobId = Callers.jobId(context.pathParam("id"));
        } catch (ProblemException e) {
            RouteProblems.sendUnlessAnswered(context.response(), e);
            return;
        }
        repository.results(jobId, owner).chain(results -> {
            if (!results.visible()) {
                throw ResultsResource.notFound(jobId);
            }
            return repository.readyFiles(jobId, owner);
        }).invoke(rows -> {
            // finalized once its manifest is: a format asked for later may be in the making, and is left out
            if (rows.stream().noneMatch(row -> Manifest.NAME.equals(row.name()))) {
                throw ResultsResource.notReady(jobId);
            }
        }).subscribe().with(rows -> vertx.executeBlocking(() -> entries(jobId, rows), false).onComplete(made -> {
            if (made.failed()) {
                failed(context.response(), made.cause());
            } else {
                sendZip(context.response(), jobId, made.result());
            }
        }), failure -> failed(context.response(), failure));
    }

    /** The zip's entries: every ready file still in place, with its size and CRC-32 when the row has them right. */
    private List<ZipChunks.Entry> entries(UUID jobId, List<ArtifactRow> rows) throws IOException {
        String folder = "aegis-" + jobId + "/";
        List<ZipChunks.Entry> entries = new ArrayList<>();
        for (ArtifactRow row : rows) {
            Optional<Path> file = JobFiles.resolve(store, jobId, row.location());
            if (file.isEmpty()) {
                Log.warnf("Export of job %s leaves out %s: its file is gone", jobId, row.name());
                continue;
            }
            long size = Files.size(file.get());
            Long crc = row.size() != null && row.size() == size ? row.crc32() : null;
            entries.add(new ZipChunks.Entry(folder + row.name(), file.get(), size, crc, row.updatedAt()));
        }
        return entries;
    }

    private void sendZip(HttpServerResponse response, UUID jobId, List<ZipChunks.Entry> entries) {
        response.putHeader(HttpHeaders.CONTENT_TYPE, ZIP)
                .putHeader("Content-Disposition", ContentDisposition.attachment("aegis-" + jobId + ".zip"))
                .putHeader("X-Content-Type-Options", "nosniff");
        if (entries.stream().allMatch(e -> e.crc32() != null)) {
            long length = ZipLayout.size(entries.stream().map(e -> new ZipLayout.Entry(e.name(), e.size())).toList());
            response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
        } else {
            response.setChunked(true);
        }
        Chunks.send(vertx, response, new ZipChunks(entries));
    }

    // ------------------------------------------------------------------ problems

    private static void failed(HttpServerResponse response, Throwable failure) {
        RouteProblems.failed(response, "A download", failure);
    }
}
