package io.aegis.artifact.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Where the blocking work of builds runs. Builds read and write files for seconds to minutes, so
 * they get a pool of their own, as wide as the builds a replica runs at once, rather than the shared
 * workers the requests need.
 */
@ApplicationScoped
public class BuildPool {

    private final WorkerExecutor workers;

    public BuildPool(Vertx vertx) {
        this.workers = vertx.createSharedWorkerExecutor("aegis-artifact-builds", ArtifactScheduler.CONCURRENT_BUILDS,
                30, TimeUnit.MINUTES);
    }

    @PreDestroy
    void close() {
        workers.closeAndAwait();
    }

    /** Runs {@code work} on the pool; its answer (or failure) comes back on the caller's context. */
    <T> Uni<T> run(Callable<T> work) {
        return workers.executeBlocking(Uni.createFrom().item(() -> {
            try {
                return work.call();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }), false);
    }
}
