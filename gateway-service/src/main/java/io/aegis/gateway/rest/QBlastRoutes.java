package io.aegis.gateway.rest;

import io.aegis.contracts.problem.Problem;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.events.EventJson;
import io.aegis.events.JobStatus;
import io.aegis.gateway.client.Backends;
import io.aegis.gateway.config.GatewayConfig;
import io.aegis.gateway.domain.QBlast;
import io.aegis.gateway.domain.SubmitRequest;
import io.aegis.gateway.service.Identity;
import io.aegis.gateway.service.JobSubmitter;
import io.quarkus.logging.Log;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code /blast/Blast.cgi}: NCBI's BLAST URL API, so that Biopython's {@code NCBIWWW.qblast} (and any
 * client of that API) searches with Aegis ({@link QBlast} holds the rules). {@code CMD=Put} submits an
 * ordinary job of the {@code blast} pipeline through {@link JobSubmitter}, the path of
 * {@code POST /api/v1/jobs} (rate limit, quota, catalog and validation alike), and answers its id as the
 * RID; {@code CMD=Get} reads the job from job-service and its artifacts from artifact-service as the
 * caller, and answers the waiting page, the search's state, or BLAST's XML streamed from artifact-service.
 * A GET and a POST form are the same request (qblast POSTs both).
 *
 * <p>A plain Vert.x route rather than a resource method: the results are piped through as they arrive,
 * whatever the method the client asked with, and every error carries its code in the reason phrase,
 * which is what a qblast script's {@code HTTPError} shows. Authentication is {@link Identity}'s, which
 * takes the token as the password of HTTP Basic here; the OpenAPI description is {@code META-INF/openapi.yaml}.
 */
@ApplicationScoped
public class QBlastRoutes {

    private final Backends backends;
    private final JobSubmitter submitter;
    private final GatewayConfig.Services services;
    private final long maxBodyBytes;

    public QBlastRoutes(Backends backends, JobSubmitter submitter, GatewayConfig config,
                        @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.backends = backends;
        this.submitter = submitter;
        this.services = config.services();
        this.maxBodyBytes = maxBodySize.asLongValue();
    }

    void register(@Observes Router router) {
        router.route(QBlast.PATH).method(HttpMethod.GET).method(HttpMethod.POST)
                .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
                .handler(this::handle);
    }

    private void handle(RoutingContext context) {
        String user = Identity.user(context);
        try {
            // the form's fields are merged into the parameters, after the query's
            Map<String, String> parameters = QBlast.parameters(context.request().params());
            switch (QBlast.command(parameters)) {
                case PUT -> put(context.response(), user, parameters);
                case GET -> get(context.response(), user, parameters);
            }
        } catch (ProblemException refusal) {
            refuse(context.response(), refusal);
        }
    }

    private void put(HttpServerResponse response, String user, Map<String, String> parameters) {
        // the query may be megabytes: mapped off the event loop, as the submit path parses it
        Uni.createFrom().item(() -> QBlast.submission(parameters))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain((SubmitRequest request) -> submitter.submit(user, request))
                .map(answer -> answered(answer, 202).getString("id"))
                .subscribe().with(rid -> page(response, QBlast.submitted(rid)), failure -> fail(response, failure));
    }

    private void get(HttpServerResponse response, String user, Map<String, String> parameters) {
        String rid = QBlast.rid(parameters);
        QBlast.Format format = QBlast.format(parameters);
        String job = "/api/v1/jobs/" + rid;
        backends.get(services.job(), job, user).map(answer -> answered(answer, 200)).chain(found -> {
            JobStatus status = JobStatus.valueOf(found.getString("status"));
            // only a job that succeeded has its XML to wait for
            Uni<List<QBlast.Artifact>> artifacts = status != JobStatus.SUCCEEDED ? Uni.createFrom().item(List.of())
                    : backends.get(services.artifact(), job + "/artifacts", user)
                            .map(answer -> artifacts(answered(answer, 200)));
            return artifacts.map(listed -> QBlast.poll(rid, status, found.getString("error"), listed));
        }).subscribe().with(poll -> answer(response, user, job, format, poll), failure -> fail(response, failure));
    }

    private static List<QBlast.Artifact> artifacts(JsonObject listing) {
        List<QBlast.Artifact> artifacts = new ArrayList<>();
        JsonArray items = listing.getJsonArray("items", new JsonArray());
        for (int i = 0; i < items.size(); i++) {
            JsonObject item = items.getJsonObject(i);
            artifacts.add(new QBlast.Artifact(item.getString("name"), item.getString("state"), item.getString("error")));
        }
        return artifacts;
    }

    private void answer(HttpServerResponse response, String user, String job, QBlast.Format format, QBlast.Poll poll) {
        switch (poll) {
            case QBlast.Poll.Waiting waiting -> page(response, QBlast.waiting());
            case QBlast.Poll.Ask ask -> backends.postJson(services.artifact(),
                            job + "/artifacts/" + QBlast.XML_ARTIFACT + "/build", user, Map.of())
                    .map(answer -> {
                        if (answer.status() != 200 && answer.status() != 202) {
                            throw new Refused(answer);
                        }
                        return answer;
                    })
                    .subscribe().with(asked -> page(response, QBlast.waiting()), failure -> fail(response, failure));
            case QBlast.Poll.Ended ended -> refuse(response, ended.why());
            case QBlast.Poll.Ready ready -> {
                switch (format) {
                    case XML -> backends.download(response, services.artifact(), job + "/artifacts/" + QBlast.XML_ARTIFACT, user);
                    case SEARCH_INFO -> backends.get(services.artifact(), job + "/results/hits?limit=1", user)
                            .map(answer -> answered(answer, 200).getLong("total", 0L) > 0)
                            .subscribe().with(hits -> page(response, QBlast.searchInfo(hits)), failure -> fail(response, failure));
                }
            }
        }
    }

    /** A service's answer when it is the one expected; otherwise its refusal, to be passed on ({@link Refused}). */
    private static JsonObject answered(Backends.Answer answer, int expected) {
        if (answer.status() != expected) {
            throw new Refused(answer);
        }
        return answer.body().toJsonObject();
    }

    /** A service refused (job-service's 404 for an unknown or another user's job, its 429, …): its answer is passed on. */
    private static final class Refused extends RuntimeException {

        private final transient Backends.Answer answer;

        Refused(Backends.Answer answer) {
            super(null, null, false, false);
            this.answer = answer;
        }
    }

    private static void page(HttpServerResponse response, String text) {
        response.putHeader("Content-Type", "text/html; charset=utf-8").putHeader("Cache-Control", "no-store").end(text);
    }

    private static void relay(HttpServerResponse response, Backends.Answer answer) {
        if (response.ended() || response.headWritten()) {
            return;
        }
        response.setStatusCode(answer.status());
        if (answer.contentType() != null) {
            response.putHeader("Content-Type", answer.contentType());
        }
        if (answer.retryAfter() != null) {
            response.putHeader("Retry-After", answer.retryAfter());
        }
        try {
            response.setStatusMessage(QBlast.reason(EventJson.decode(answer.body().getBytes(), Problem.class)));
        } catch (RuntimeException notAProblem) {
            // the status's own reason phrase
        }
        response.end(answer.body());
    }

    private static void refuse(HttpServerResponse response, ProblemException refusal) {
        if (response.ended() || response.headWritten()) {
            return;
        }
        refusal.retryAfterSeconds().ifPresent(seconds -> response.putHeader("Retry-After", Long.toString(seconds)));
        response.setStatusCode(refusal.problem().status()).setStatusMessage(QBlast.reason(refusal.problem()))
                .putHeader("Content-Type", Problem.MEDIA_TYPE).end(EventJson.encodeToString(refusal.problem()));
    }

    private static void fail(HttpServerResponse response, Throwable failure) {
        if (failure instanceof ProblemException refusal) {
            refuse(response, refusal);
            return;
        }
        if (failure instanceof Refused refused) {
            relay(response, refused.answer);
            return;
        }
        Log.warnf("qblast request failed: %s", failure.toString());
        refuse(response, new ProblemException(503, "SERVICE_UNAVAILABLE", "Service unavailable",
                "A service Aegis needs is not answering; try again shortly.").retryAfter(Duration.ofSeconds(5)));
    }
}
