package io.aegis.artifact.service;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.events.JobStatus;
import io.aegis.testing.TestCallers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for job-service's {@code GET /api/v1/jobs/{id}/execution-steps}: every job has the same
 * two steps for the caller named in {@code X-Aegis-User}, except jobs a test marked unavailable,
 * which get 503. Each request is recorded (job id, caller, time). And for {@code GET /api/v1/jobs/{id}}:
 * a job a test {@linkplain #submitted submitted} is its owner's (200, its state and the job it reused),
 * any other job or caller gets 404, a job marked unavailable 503.
 */
public class JobServiceStandIn implements QuarkusTestResourceLifecycleManager {

    record Request(String jobId, String user, Instant at) {
    }

    private record Job(String owner, JobStatus status, UUID reusedFrom) {
    }

    static final Set<String> UNAVAILABLE = ConcurrentHashMap.newKeySet();
    static final List<Request> REQUESTS = new CopyOnWriteArrayList<>();
    private static final Map<String, Job> JOBS = new ConcurrentHashMap<>();

    /** From now on job-service answers 503 for the job, its steps included. */
    public static void unavailable(UUID job) {
        UNAVAILABLE.add(job.toString());
    }

    /** A job job-service knows from now on, as {@code owner}'s, in {@code status}; {@code reusedFrom} may be null. */
    public static void submitted(UUID job, String owner, JobStatus status, UUID reusedFrom) {
        JOBS.put(job.toString(), new Job(owner, status, reusedFrom));
    }

    static String steps(String jobId) {
        return "{\"jobId\":\"" + jobId + "\",\"steps\":[{\"key\":\"search\",\"status\":\"succeeded\"},"
                + "{\"key\":\"merge\",\"status\":\"succeeded\"}]}";
    }

    static List<Request> requests(String jobId) {
        return REQUESTS.stream().filter(r -> r.jobId().equals(jobId)).toList();
    }

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server;
        try {
            server = vertx.createHttpServer().requestHandler(request -> {
                String[] path = request.path().split("/");
                if (path.length == 5) {
                    // /api/v1/jobs/{id}
                    Job job = JOBS.get(path[4]);
                    String user = TestCallers.user(request.getHeader(AegisHeaders.IDENTITY));
                    if (UNAVAILABLE.contains(path[4])) {
                        request.response().setStatusCode(503).end();
                    } else if (job == null || !job.owner().equals(user)) {
                        request.response().setStatusCode(404).end();
                    } else {
                        request.response().putHeader("Content-Type", "application/json").end("{\"id\":\"" + path[4]
                                + "\",\"owner\":\"" + job.owner() + "\",\"status\":\"" + job.status() + "\",\"reusedFrom\":"
                                + (job.reusedFrom() == null ? "null" : "\"" + job.reusedFrom() + "\"") + "}");
                    }
                    return;
                }
                // /api/v1/jobs/{id}/execution-steps
                if (path.length != 6 || !"execution-steps".equals(path[5])) {
                    request.response().setStatusCode(404).end();
                    return;
                }
                String jobId = path[4];
                String user = TestCallers.user(request.getHeader(AegisHeaders.IDENTITY));
                REQUESTS.add(new Request(jobId, user, Instant.now()));
                if (UNAVAILABLE.contains(jobId)) {
                    request.response().setStatusCode(503).end();
                } else if (user == null || user.isBlank()) {
                    request.response().setStatusCode(401).end();
                } else {
                    request.response().putHeader("Content-Type", "application/json").end(steps(jobId));
                }
            }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("aegis.services.job", "http://127.0.0.1:" + server.actualPort());
    }

    @Override
    public void stop() {
        vertx.close();
    }
}
