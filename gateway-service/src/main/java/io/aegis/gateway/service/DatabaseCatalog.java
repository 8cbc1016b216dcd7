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
 * a submit for a database that does not exist is refused at once. Only ready databases count.
 * While the worker lists a database as building, the list is read again every couple of seconds
 * instead of after the TTL, so a database is known soon after it is ready; a registration through
 * this gateway drops the kept list at once. When the catalog cannot be read the check is left to
 * the worker, which fails such a job with a clear code.
 */
@ApplicationScoped
public class DatabaseCatalog {

    /** How long the list is kept while a database is building. */
    static final Duration WHILE_BUILDING = Duration.ofSeconds(2);

    private final Backends backends;
    private final GatewayConfig.Services services;
    private final Duration ttl;
    private final Uni<Optional<Map<String, KnownDatabase>>> cached;
    private volatile long loadedAt = System.nanoTime();
    private volatile boolean building;
    private volatile boolean invalidated;

    public DatabaseCatalog(Backends backends, GatewayConfig config) {
        this.backends = backends;
        this.services = config.services();
        this.ttl = services.catalogTtl();
        this.cached = Uni.createFrom().deferred(this::load).memoize().until(this::stale);
    }

    public Uni<Optional<Map<String, KnownDatabase>>> databases() {
        return cached;
    }

    /** Forget the kept list: the next submit reads it again. */
    public void invalidate() {
        invalidated = true;
    }

    private boolean stale() {
        Duration age = Duration.ofNanos(System.nanoTime() - loadedAt);
        return invalidated || age.compareTo(building ? WHILE_BUILDING : ttl) > 0;
    }

    private Uni<Optional<Map<String, KnownDatabase>>> load() {
        invalidated = false;
        loadedAt = System.nanoTime();
        return backends.getJson(services.worker(), "/api/v1/databases")
                .map(body -> {
                    Map<String, KnownDatabase> known = new HashMap<>();
                    boolean anyBuilding = false;
                    for (JsonNode db : EventJson.decode(body.getBytes(), JsonNode.class)) {
                        String state = db.path("state").asText("ready");
                        anyBuilding |= state.equals("building");
                        if (state.equals("ready")) {
                            known.put(db.path("name").asText(), new KnownDatabase(
                                    SequenceType.valueOf(db.path("type").asText().toUpperCase(Locale.ROOT)),
                                    db.path("version").asText(null)));
                        }
                    }
                    building = anyBuilding;
                    return Optional.of(Map.copyOf(known));
                })
                .onFailure().recoverWithItem(failure -> {
                    building = false;
                    Log.warnf("Database catalog unavailable (%s); the worker will check the database", failure.getMessage());
                    return Optional.empty();
                });
    }
}
