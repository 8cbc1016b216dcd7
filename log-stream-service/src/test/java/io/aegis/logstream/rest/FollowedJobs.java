package io.aegis.logstream.rest;

import io.aegis.logstream.service.Hub;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link Hub.Listener} that counts, per job, how often the hub started and stopped following it. */
@ApplicationScoped
public class FollowedJobs implements Hub.Listener {

    private final Map<UUID, AtomicInteger> started = new ConcurrentHashMap<>();
    private final Map<UUID, AtomicInteger> stopped = new ConcurrentHashMap<>();

    @Override
    public Runnable opened(UUID jobId) {
        started.computeIfAbsent(jobId, id -> new AtomicInteger()).incrementAndGet();
        return () -> stopped.computeIfAbsent(jobId, id -> new AtomicInteger()).incrementAndGet();
    }

    int started(UUID jobId) {
        return started.getOrDefault(jobId, new AtomicInteger()).get();
    }

    int stopped(UUID jobId) {
        return stopped.getOrDefault(jobId, new AtomicInteger()).get();
    }
}
