package io.aegis.worker.config;

import io.aegis.pipelines.Pipelines;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The pipelines this worker runs, read once at start; a bad definition stops the start. */
@ApplicationScoped
public class PipelinesProducer {

    @Produces
    @ApplicationScoped
    Pipelines pipelines(WorkerConfig config) {
        return Pipelines.load(config.pipelines().dir());
    }
}
