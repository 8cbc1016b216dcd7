package io.aegis.artifact.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * The finalization backlog as the database sees it, for every replica alike: builds due now
 * ({@code aegis_finalizations_backlog{state="due"}}), waiting out a retry's backoff ({@code waiting}),
 * and being built ({@code building}), with how long the oldest due one has waited
 * ({@code aegis_finalizations_oldest_due_age_seconds}).
 *
 * <p>Read every {@code aegis.metrics.refresh-interval} (15 s), not per scrape, by one aggregate over
 * the partial index of the unsettled finalizations ({@code finalization_due}), whose rows are few
 * however many jobs were finalized; the database's clock decides what is due, as the claims do.
 */
@ApplicationScoped
public class FinalizationGauges {

    private static final String BACKLOG = """
            SELECT count(*) FILTER (WHERE state = 'pending' AND next_attempt_at <= now()),
                   count(*) FILTER (WHERE state = 'pending' AND next_attempt_at > now()),
                   count(*) FILTER (WHERE state = 'building'),
                   extract(epoch FROM now() - min(next_attempt_at) FILTER (
                       WHERE state = 'pending' AND next_attempt_at <= now()))::float8
              FROM artifacts.finalization WHERE state IN ('pending', 'building')""";

    private final Pool pool;
    private final Duration every;
    private final Vertx vertx;
    private long timer;
    private volatile long due;
    private volatile long waiting;
    private volatile long building;
    private volatile double oldestDueSeconds;

    public FinalizationGauges(Pool pool, MeterRegistry registry, MetricsConfig config, Vertx vertx) {
        this.pool = pool;
        this.vertx = vertx;
        this.every = config.refreshInterval();
        String description = "Finalizations not settled: due now, waiting out a retry's backoff, or being built";
        Gauge.builder("aegis.finalizations.backlog", this, g -> g.due).tag("state", "due")
                .description(description).register(registry);
        Gauge.builder("aegis.finalizations.backlog", this, g -> g.waiting).tag("state", "waiting")
                .description(description).register(registry);
        Gauge.builder("aegis.finalizations.backlog", this, g -> g.building).tag("state", "building")
                .description(description).register(registry);
        Gauge.builder("aegis.finalizations.oldest.due.age", this, g -> g.oldestDueSeconds).baseUnit("seconds")
                .description("How long the oldest due finalization has waited for a builder").register(registry);
    }

    void start(@Observes StartupEvent startup) {
        timer = vertx.setPeriodic(every.toMillis(), id -> refresh().subscribe().with(done -> { },
                e -> Log.debugf("Finalization backlog not refreshed (again in %s): %s", every, e)));
    }

    void stop(@Observes ShutdownEvent shutdown) {
        vertx.cancelTimer(timer);
    }

    /** Reads the backlog again; the gauges show it from then on. */
    public Uni<Void> refresh() {
        return pool.query(BACKLOG).execute().invoke(this::read).replaceWithVoid();
    }

    private void read(RowSet<Row> rows) {
        Row row = rows.iterator().next();
        due = row.getLong(0);
        waiting = row.getLong(1);
        building = row.getLong(2);
        Double oldest = row.getDouble(3);
        oldestDueSeconds = oldest == null ? 0 : Math.max(0, oldest);
    }
}
