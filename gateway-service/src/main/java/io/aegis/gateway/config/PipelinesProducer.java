package io.aegis.gateway.config;

import io.aegis.pipelines.Pipelines;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The pipelines this installation offers, read once at start; a bad definition stops the start. */
@ApplicationScoped
public class PipelinesProducer {

    @Produces
    @ApplicationScoped
    Pipelines pipelines(GatewayConfig config) {
        return Pipelines.load(config.pipelines().dir());
    }
}
