package io.aegis.logstream.rest;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.events.JobStatus;
import io.aegis.testing.TestCallers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Stands in for job-service: serves the jobs a test registers, to their owner only. */
public class JobServiceStandIn implements QuarkusTestResourceLifecycleManager {

    record Job(String owner, String json) {
    }

    static final Map<String, Job> JOBS = new ConcurrentHashMap<>();

    /** Registers a new job of {@code owner} in {@code status}; answers its id. */
    static UUID job(String owner, JobStatus status) {
        UUID id = UUID.randomUUID();
        JOBS.put(id.toString(), new Job(owner,
                "{\"id\":\"" + id + "\",\"owner\":\"" + owner + "\",\"status\":\"" + status + "\"}"));
        return id;
    }

    /** The job has ended: job-service shows it in {@code status} from now on. */
    static void ended(UUID id, JobStatus status) {
        JOBS.computeIfPresent(id.toString(), (key, job) -> new Job(job.owner(),
                job.json().replaceFirst("\"status\":\"[A-Z]+\"", "\"status\":\"" + status + "\"")));
    }

    /**
     * The job runs {@code attempt} in {@code status}: job-service shows it so from now on (a retried
     * job is queued again under its id with the next attempt).
     */
    static void attempt(UUID id, int attempt, JobStatus status) {
        JOBS.computeIfPresent(id.toString(), (key, job) -> new Job(job.owner(), "{\"id\":\"" + id
                + "\",\"owner\":\"" + job.owner() + "\",\"status\":\"" + status + "\",\"attempt\":" + attempt + "}"));
    }

    private Vertx vertx;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        try {
            server = vertx.createHttpServer().requestHandler(request -> {
                String id = request.path().substring(request.path().lastIndexOf('/') + 1);
                Job job = JOBS.get(id);
                if (job == null || !job.owner().equals(TestCallers.user(request.getHeader(AegisHeaders.IDENTITY)))) {
                    request.response().setStatusCode(404).putHeader("Content-Type", "application/problem+json")
                            .end("{\"status\":404,\"code\":\"JOB_NOT_FOUND\"}");
                } else {
                    request.response().putHeader("Content-Type", "application/json").end(job.json());
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
