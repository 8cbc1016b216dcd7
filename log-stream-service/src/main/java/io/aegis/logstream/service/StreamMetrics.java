package io.aegis.logstream.service;

import io.aegis.logstream.domain.StreamEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** What the streams do, in Prometheus form at {@code /q/metrics}. */
@ApplicationScoped
public class StreamMetrics {

    private final AtomicInteger active = new AtomicInteger();
    private final Counter events;
    private final Counter dropped;
    private final Timer lag;

    public StreamMetrics(MeterRegistry registry) {
        registry.gauge("aegis.streams.active", active);
        this.events = Counter.builder("aegis.stream.events").description("Events written to streams").register(registry);
        this.dropped = Counter.builder("aegis.stream.dropped.lines")
                .description("Log lines left out for readers that could not keep up").register(registry);
        this.lag = Timer.builder("aegis.stream.delivery.lag")
                .description("From an event's publication to its write to a live stream")
                .publishPercentiles(0.5, 0.9, 0.99).register(registry);
    }

    void opened() {
        active.incrementAndGet();
    }

    void closed() {
        active.decrementAndGet();
    }

    void droppedLine() {
        dropped.increment();
    }

    /** Counts events written; live ones also give their delivery lag. */
    void written(List<StreamEvent> batch, boolean live) {
        long now = System.currentTimeMillis();
        for (StreamEvent event : batch) {
            events.increment();
            if (live && event.publishedAt() > 0) {
                lag.record(Duration.ofMillis(Math.max(0, now - event.publishedAt())));
            }
        }
    }
}
