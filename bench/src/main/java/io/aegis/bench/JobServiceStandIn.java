package io.aegis.bench;

import io.aegis.contracts.http.AegisHeaders;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for job-service where log-stream-service asks it for a job's snapshot
 * ({@code GET /api/v1/jobs/{id}} with the caller in {@link AegisHeaders#IDENTITY}): every registered job
 * is running, and shown to every caller as theirs. (job-service shows a job to its owner only; who
 * may watch is its decision, and log-stream-service makes the same one request either way.) Other
 * ids, and requests that name no caller, get job-service's 404.
 */
final class JobServiceStandIn implements AutoCloseable {

    private final Map<String, String> jobs = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final String startedAt = Instant.now().toString();

    JobServiceStandIn(Vertx vertx, int port, BenchCallers callers) throws Exception {
        this.server = vertx.createHttpServer().requestHandler(request -> {
            String path = request.path();
            String id = path.substring(path.lastIndexOf('/') + 1);
            String job = path.startsWith("/api/v1/jobs/") ? jobs.get(id) : null;
            String user = callers.user(request.getHeader(AegisHeaders.IDENTITY));
            if (job == null || user == null || user.isBlank()) {
                request.response().setStatusCode(404).putHeader("Content-Type", "application/problem+json")
                        .end("{\"status\":404,\"code\":\"JOB_NOT_FOUND\",\"title\":\"Job not found\"}");
            } else {
                request.response().putHeader("Content-Type", "application/json").end(job.replace("%OWNER%", user));
            }
        }).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    void register(List<UUID> ids) {
        for (UUID id : ids) {
            jobs.put(id.toString(), snapshot(id, startedAt));
        }
    }

    /** A running job the way job-service shows it, its owner left to fill in. */
    static String snapshot(UUID id, String startedAt) {
        return """
                {"id":"%s","owner":"%%OWNER%%","name":"bench","fileName":"queries.fasta","pipeline":"blast",\
                "database":"bench","params":{"program":"blastp","evalue":1.0E-5},"status":"RUNNING","step":"search",\
                "progress":{"done":0,"total":1000},"attempt":1,"sequenceCount":1000,"residueCount":348162,\
                "createdAt":"%s","startedAt":"%s","version":3,"worker":"bench","lastHeartbeatAt":"%s",\
                "steps":[{"key":"validate","status":"completed","startedAt":"%s","completedAt":"%s","durationMs":12},\
                {"key":"split","status":"completed","startedAt":"%s","completedAt":"%s","durationMs":9},\
                {"key":"search","status":"running","startedAt":"%s"},{"key":"merge","status":"pending"},\
                {"key":"finalize","status":"pending"}]}"""
                .formatted(id, startedAt, startedAt, startedAt, startedAt, startedAt, startedAt, startedAt, startedAt);
    }

    int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
