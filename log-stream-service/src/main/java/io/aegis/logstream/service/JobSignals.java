package io.aegis.logstream.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The in-process hub: tells every open stream of a job that its replay buffer has new events.
 * Streams then read those events from the buffer, in order, so a signal never carries data that
 * could arrive out of order or twice.
 */
@ApplicationScoped
public class JobSignals {

    private final Map<UUID, Set<Listener>> listeners = new ConcurrentHashMap<>();

    public void signal(UUID jobId) {
        Set<Listener> set = listeners.get(jobId);
        if (set != null) {
            set.forEach(Listener::wake);
        }
    }

    /** A listener for one stream; close it when the stream ends. */
    public Listener listen(UUID jobId) {
        Listener listener = new Listener(jobId);
        listeners.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(listener);
        return listener;
    }

    public int listening() {
        return listeners.values().stream().mapToInt(Set::size).sum();
    }

    public final class Listener implements AutoCloseable {

        private final UUID jobId;
        private final AtomicBoolean pending = new AtomicBoolean();
        private final AtomicReference<CompletableFuture<Boolean>> waiter = new AtomicReference<>();

        private Listener(UUID jobId) {
            this.jobId = jobId;
        }

        void wake() {
            pending.set(true);
            CompletableFuture<Boolean> w = waiter.getAndSet(null);
            if (w != null) {
                w.complete(true);
            }
        }

        /** Completes with true at the next signal (or at once if one came since the last call), false on timeout. */
        public Uni<Boolean> next(Duration timeout) {
            CompletableFuture<Boolean> w = new CompletableFuture<>();
            waiter.set(w);
            if (pending.getAndSet(false)) {
                waiter.set(null);
                return Uni.createFrom().item(true);
            }
            return Uni.createFrom().completionStage(w)
                    .ifNoItem().after(timeout).recoverWithItem(false)
                    .invoke(() -> pending.set(false));
        }

        @Override
        public void close() {
            Set<Listener> set = listeners.get(jobId);
            if (set != null) {
                set.remove(this);
                listeners.computeIfPresent(jobId, (id, s) -> s.isEmpty() ? null : s);
            }
        }
    }
}
