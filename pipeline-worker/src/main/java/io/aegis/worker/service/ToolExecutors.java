package io.aegis.worker.service;

import io.aegis.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The executor pipelines run their tools on, chosen by {@code aegis.worker.executor}. */
@ApplicationScoped
public class ToolExecutors {

    @Produces
    @ApplicationScoped
    ToolExecutor executor(WorkerConfig config, LocalToolExecutor local) {
        return switch (config.worker().executor()) {
            case LOCAL -> local;
            case KUBERNETES -> throw new IllegalStateException("aegis.worker.executor=kubernetes is not available");
        };
    }
}
