package io.aegis.worker.metrics;

import io.aegis.worker.service.ToolExecutor;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The CPU time of the tools a worker runs as local processes, read from the system while each runs
 * ({@link ProcessHandle.Info#totalCpuDuration()}: user and system time of the process, every thread
 * of a multi-threaded {@code blastp} included). The tool's own process is the one read: the wrappers
 * it starts under ({@code setsid}, {@code stdbuf}) replace themselves with it.
 *
 * <p>Why sampled: the JDK reaps a child the moment it exits, and with it goes the kernel's account of
 * its time, so the last reading is taken at most {@code aegis.metrics.tool-cpu-interval} (250 ms)
 * before the end: a tool's last fraction of a second may be missing from the count. One thread reads
 * every tool running.
 * Tools run as Kubernetes Jobs are not counted here (their pods' CPU is the cluster's metrics).
 */
@ApplicationScoped
public class ToolCpu {

    /** A tool being read; {@link #close} counts its time. */
    public interface Followed extends AutoCloseable {
        @Override
        void close();
    }

    private final WorkerMetrics metrics;
    private final Map<ProcessHandle, AtomicReference<Duration>> followed = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reader = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("tool-cpu").daemon().factory());

    public ToolCpu(WorkerMetrics metrics, MetricsConfig config) {
        this.metrics = metrics;
        Duration every = config.toolCpuInterval();
        reader.scheduleAtFixedRate(this::readAll, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads {@code process}, a tool of {@code task}, until the returned handle is closed. */
    public Followed follow(ToolExecutor.Task task, ProcessHandle process) {
        AtomicReference<Duration> last = new AtomicReference<>(Duration.ZERO);
        followed.put(process, last);
        read(process, last);
        return () -> {
            followed.remove(process);
            read(process, last);
            metrics.toolCpu(task, last.get());
        };
    }

    private void readAll() {
        followed.forEach(ToolCpu::read);
    }

    /** Keeps the latest reading: none once the process is gone, and never less than before. */
    private static void read(ProcessHandle process, AtomicReference<Duration> last) {
        process.info().totalCpuDuration().ifPresent(cpu -> last.accumulateAndGet(cpu,
                (before, now) -> now.compareTo(before) > 0 ? now : before));
    }

    void stop(@Observes ShutdownEvent stop) {
        reader.shutdownNow();
    }
}
