package io.aegis.logstream.service;

import io.aegis.logstream.domain.Outbox;
import io.aegis.logstream.domain.StreamEvent;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands live events to readers on the thread that writes their connection. Everything waiting for
 * one thread goes in a single task: under load, the events of many jobs for many readers reach a
 * thread with one hand-over instead of one per reader and event. Per thread, deliveries keep the
 * order they were made in.
 */
final class Deliveries {

    private record Delivery(Outbox outbox, List<StreamEvent> events) {
    }

    private final Map<Executor, Mailbox> mailboxes = new ConcurrentHashMap<>();

    /** Offers the events, in order, to the outbox on {@code thread}. */
    void deliver(Executor thread, Outbox outbox, List<StreamEvent> events) {
        mailboxes.computeIfAbsent(thread, Mailbox::new).post(new Delivery(outbox, events));
    }

    private static final class Mailbox implements Runnable {

        private final Executor thread;
        private final Queue<Delivery> waiting = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();

        Mailbox(Executor thread) {
            this.thread = thread;
        }

        void post(Delivery delivery) {
            waiting.add(delivery);
            if (scheduled.compareAndSet(false, true)) {
                thread.execute(this);
            }
        }

        @Override
        public void run() {
            // cleared first: a delivery posted while this runs is either taken below or schedules another run
            scheduled.set(false);
            Delivery delivery;
            while ((delivery = waiting.poll()) != null) {
                delivery.outbox().offer(delivery.events());
            }
        }
    }
}
