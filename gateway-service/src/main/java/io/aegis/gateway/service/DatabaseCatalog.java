package io.aegis.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.aegis.events.EventJson;
import io.aegis.gateway.client.Backends;
import io.aegis.gateway.config.GatewayConfig;
import io.aegis.gateway.domain.KnownDatabase;
import io.aegis.sequences.SequenceType;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The databases the workers can search, read from pipeline-worker and kept for a short while, so
 * a submit for a database that does not exist is refused at once. When the catalog cannot be read
 * the check is left to the worker, which fails such a job with a clear code.
 */
@ApplicationScoped
public class DatabaseCatalog {

    private final Backends backends;
    private final GatewayConfig.Services services;
    private final Uni<Optional<Map<String, KnownDatabase>>> cached;

    public DatabaseCatalog(Backends backends, GatewayConfig config) {
        this.backends = backends;
        this.services = config.services();
        Duration ttl = services.catalogTtl();
        this.cached = Uni.createFrom().deferred(this::load).memoize().atLeast(ttl);
    }

    public Uni<Optional<Map<String, KnownDatabase>>> databases() {
        return cached;
    }

    private Uni<Optional<Map<String, KnownDatabase>>> load() {
        return backends.getJson(services.worker(), "/api/v1/databases")
                .map(body -> {
                    Map<String, KnownDatabase> known = new HashMap<>();
                    for (JsonNode db : EventJson.decode(body.getBytes(), JsonNode.class)) {
                        known.put(db.path("name").asText(), new KnownDatabase(
                                SequenceType.valueOf(db.path("type").asText().toUpperCase(Locale.ROOT)),
                                db.path("version").asText(null)));
                    }
                    return Optional.of(Map.copyOf(known));
                })
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("Database catalog unavailable (%s); the worker will check the database", failure.getMessage());
                    return Optional.empty();
                });
    }
}
