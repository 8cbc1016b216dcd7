package io.aegis.job.metrics;

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
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The queue and the outbox as the database sees them, for every replica alike: jobs queued and
 * running per pipeline, the age of the oldest queued job ({@code aegis_jobs_queued_oldest_age_seconds}),
 * the events not yet relayed to Kafka ({@code aegis_outbox_events}) and the age of the oldest of them,
 * the relay's lag ({@code aegis_outbox_oldest_age_seconds}).
 *
 * <p>Read every {@code aegis.metrics.refresh-interval} (15 s), not per scrape: two aggregate queries
 * over the partial indexes of the unfinished jobs ({@code job_active}) and the outbox, whose rows are
 * few however many jobs the history holds; a scrape reads the last values. The ages are taken at
 * refresh time, so they may trail the truth by one interval.
 */
@ApplicationScoped
public class JobGauges {

    private static final String ACTIVE = """
            SELECT pipeline, status, count(*), min(created_at) FROM jobs.job
            WHERE status IN ('QUEUED', 'RUNNING', 'CANCELLING') GROUP BY pipeline, status""";
    private static final String OUTBOX = "SELECT count(*), min(created_at) FROM jobs.outbox";

    /** The figures of one pipeline, replaced whole at each refresh. */
    private record PipelineFigures(long queued, long running, double oldestQueuedSeconds) {
        static final PipelineFigures NONE = new PipelineFigures(0, 0, 0);
    }

    private final Pool pool;
    private final Duration every;
    private final Vertx vertx;
    private long timer;
    private final MeterRegistry registry;
    private final Map<String, PipelineFigures> pipelines = new ConcurrentHashMap<>();
    private volatile long outboxEvents;
    private volatile double outboxOldestSeconds;

    public JobGauges(Pool pool, MeterRegistry registry, MetricsConfig config, Vertx vertx) {
        this.pool = pool;
        this.vertx = vertx;
        this.every = config.refreshInterval();
        this.registry = registry;
        Gauge.builder("aegis.outbox.events", this, g -> g.outboxEvents)
                .description("Events written to the outbox and not yet acknowledged by Kafka").register(registry);
        Gauge.builder("aegis.outbox.oldest.age", this, g -> g.outboxOldestSeconds).baseUnit("seconds")
                .description("Age of the oldest event waiting in the outbox: the relay's lag").register(registry);
    }

    void start(@Observes StartupEvent startup) {
        timer = vertx.setPeriodic(every.toMillis(), id -> refresh().subscribe().with(done -> { },
                e -> Log.debugf("Queue and outbox figures not refreshed (again in %s): %s", every, e)));
    }

    void stop(@Observes ShutdownEvent shutdown) {
        vertx.cancelTimer(timer);
    }

    /** Reads the figures again; the gauges show them from then on. */
    public Uni<Void> refresh() {
        Instant now = Instant.now();
        return pool.query(ACTIVE).execute().invoke(rows -> pipelines(rows, now))
                .chain(() -> pool.query(OUTBOX).execute()).invoke(rows -> outbox(rows, now))
                .replaceWithVoid();
    }

    private void pipelines(RowSet<Row> rows, Instant now) {
        Map<String, PipelineFigures> read = new HashMap<>();
        for (Row row : rows) {
            String pipeline = row.getString(0);
            PipelineFigures figures = read.getOrDefault(pipeline, PipelineFigures.NONE);
            long count = row.getLong(2);
            if ("QUEUED".equals(row.getString(1))) {
                figures = new PipelineFigures(count, figures.running(), ageSeconds(row.getOffsetDateTime(3), now));
            } else {
                figures = new PipelineFigures(figures.queued(), figures.running() + count,
                        figures.oldestQueuedSeconds());
            }
            read.put(pipeline, figures);
        }
        // a pipeline seen once stays, at zero, so that its series do not vanish when its queue empties
        for (String pipeline : pipelines.keySet()) {
            read.putIfAbsent(pipeline, PipelineFigures.NONE);
        }
        read.keySet().forEach(this::register);
        pipelines.putAll(read);
    }

    private void register(String pipeline) {
        if (pipelines.containsKey(pipeline)) {
            return;
        }
        Gauge.builder("aegis.jobs.queued", this, g -> g.figures(pipeline).queued()).tag("pipeline", pipeline)
                .description("Jobs waiting for a worker (here or on the request topic)").register(registry);
        Gauge.builder("aegis.jobs.running", this, g -> g.figures(pipeline).running()).tag("pipeline", pipeline)
                .description("Jobs a worker runs (or is stopping)").register(registry);
        Gauge.builder("aegis.jobs.queued.oldest.age", this, g -> g.figures(pipeline).oldestQueuedSeconds())
                .tag("pipeline", pipeline).baseUnit("seconds")
                .description("Age of the oldest queued job, from its submission").register(registry);
    }

    private PipelineFigures figures(String pipeline) {
        return pipelines.getOrDefault(pipeline, PipelineFigures.NONE);
    }

    private void outbox(RowSet<Row> rows, Instant now) {
        Row row = rows.iterator().next();
        outboxEvents = row.getLong(0);
        outboxOldestSeconds = ageSeconds(row.getOffsetDateTime(1), now);
    }

    private static double ageSeconds(OffsetDateTime since, Instant now) {
        if (since == null) {
            return 0;
        }
        return Math.max(0, Duration.between(since.toInstant(), now).toMillis() / 1000.0);
    }
}
