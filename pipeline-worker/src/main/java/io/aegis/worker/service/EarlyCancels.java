package io.aegis.worker.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Cancels that arrived before their job's request (the two travel on different topics): remembered,
 * up to a bound, so the request is dropped when it comes instead of running a cancelled job.
 */
final class EarlyCancels {

    private final Map<UUID, Integer> cancelled;

    EarlyCancels(int capacity) {
        this.cancelled = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Integer> eldest) {
                return size() > capacity;
            }
        };
    }

    /** {@code attempt} 0 means every attempt up to the next one job-service may dispatch. */
    synchronized void remember(UUID jobId, int attempt) {
        cancelled.merge(jobId, attempt <= 0 ? Integer.MAX_VALUE : attempt, Math::max);
    }

    synchronized boolean cancelled(UUID jobId, int attempt) {
        Integer upTo = cancelled.get(jobId);
        return upTo != null && attempt <= upTo;
    }
}
