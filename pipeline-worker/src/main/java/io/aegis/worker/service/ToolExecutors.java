package io.aegis.worker.service;

import io.aegis.worker.config.WorkerConfig;
import io.aegis.worker.kubernetes.KubernetesToolExecutor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

/**
 * The executor pipelines run their tools on, chosen by {@code aegis.worker.executor}. The
 * Kubernetes executor is looked up only when chosen, so a local worker never creates a
 * Kubernetes client.
 */
@ApplicationScoped
public class ToolExecutors {

    @Produces
    @ApplicationScoped
    ToolExecutor executor(WorkerConfig config, LocalToolExecutor local, Instance<KubernetesToolExecutor> kubernetes) {
        return switch (config.worker().executor()) {
            case LOCAL -> local;
            case KUBERNETES -> kubernetes.get();
        };
    }
}
