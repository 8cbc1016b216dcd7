package io.aegis.artifact.service;

import io.aegis.artifact.client.JobServiceClient;
import io.aegis.artifact.config.StoreConfig;
import io.aegis.artifact.domain.Artifact;
import io.aegis.events.StoreLayout;
import io.aegis.web.identity.InternalKey;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Context;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** {@code steps.json}: the job's execution steps, as job-service gives them to the job's owner. */
@ApplicationScoped
class StepsPart implements ArtifactPart {

    static final String NAME = "steps.json";

    private final StoreLayout store;
    private final JobServiceClient jobService;
    private final InternalKey key;
    private final BuildPool pool;

    public StepsPart(StoreConfig store, @RestClient JobServiceClient jobService, InternalKey key, BuildPool pool) {
        this.store = new StoreLayout(store.root());
        this.jobService = jobService;
        this.key = key;
        this.pool = pool;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean due(BuildAttempt attempt) {
        return !attempt.ready(NAME);
    }

    @Override
    public Uni<List<Artifact>> build(BuildAttempt attempt) {
        Context context = Vertx.currentContext();
        return jobService.executionSteps(key.forUser(attempt.claim().owner()), attempt.jobId().toString())
                // the client may answer on another thread; the build's database session lives on its context
                .emitOn(task -> context.runOnContext(task))
                .onFailure().transform(f -> f instanceof WebApplicationException http
                        ? new IOException("job-service answered " + http.getResponse().getStatus()
                                + " for the execution steps", f)
                        : new IOException("job-service cannot be reached for the execution steps: "
                                + BuildAttempt.message(f), f))
                .chain(response -> {
                    try (response) {
                        if (response.getStatus() != 200) {
                            return Uni.createFrom().failure(new IOException(
                                    "job-service answered " + response.getStatus() + " for the execution steps"));
                        }
                        byte[] body = response.readEntity(String.class).getBytes(StandardCharsets.UTF_8);
                        return pool.run(() -> {
                            Path target = AtomicFiles.write(store.artifacts(attempt.jobId()).resolve(NAME),
                                    out -> out.write(body));
                            return List.of(attempt.file(ManifestWriter.describe(target), "artifacts/"));
                        });
                    }
                });
    }
}
