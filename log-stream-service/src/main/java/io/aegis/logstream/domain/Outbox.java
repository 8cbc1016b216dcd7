package io.aegis.logstream.domain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One reader's bounded buffer of live events. Past its capacity the oldest log line goes first and
 * a {@code dropped} marker with a count takes its place in the stream; progress, step, artifact and
 * terminal events are never dropped. Events come in id order; one already passed is ignored, so
 * the same event offered twice is delivered once.
 */
public final class Outbox {

    private static final class Slot {
        final StreamEvent event;
        long droppedBefore;
        String lastDropped;

        Slot(StreamEvent event) {
            this.event = event;
        }
    }

    private final int capacity;
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private String floor = StreamIds.START;
    private long droppedAtEnd;
    private String lastDroppedAtEnd;
    private long droppedTotal;
    private Runnable waiter;
    private boolean open;

    private final Runnable onDrop;

    public Outbox(int capacity) {
        this(capacity, () -> { });
    }

    /** @param onDrop told of every line dropped */
    public Outbox(int capacity, Runnable onDrop) {
        if (capacity < 1) {
            throw new IllegalArgumentException("An outbox holds at least one event");
        }
        this.capacity = capacity;
        this.onDrop = onDrop;
    }

    /** From now on live events are kept (before, the reader is still replaying and reads them itself). */
    public synchronized void open() {
        open = true;
    }

    /** Queues a live event; answers false when the outbox is not open yet or the event was passed. */
    public boolean offer(StreamEvent event) {
        return offer(List.of(event));
    }

    /**
     * Queues live events in order (as {@link #offer(StreamEvent)} each), waking a waiting reader
     * once for all of them; answers whether any was queued.
     */
    public boolean offer(List<StreamEvent> events) {
        boolean queued = false;
        synchronized (this) {
            for (StreamEvent event : events) {
                queued |= queue(event);
            }
        }
        if (queued) {
            wake();
        }
        return queued;
    }

    private boolean queue(StreamEvent event) {
        if (!open || !StreamIds.isAfter(event.id(), floor)) {
            return false;
        }
        floor = event.id();
        Slot slot = new Slot(event);
        if (droppedAtEnd > 0) {
            slot.droppedBefore = droppedAtEnd;
            slot.lastDropped = lastDroppedAtEnd;
            droppedAtEnd = 0;
        }
        slots.addLast(slot);
        if (slots.size() > capacity) {
            dropOldestLine();
        }
        return true;
    }

    /** The reader has these events already (from the replay buffer): they are not queued again. */
    public synchronized void passed(String id) {
        if (StreamIds.isAfter(id, floor)) {
            floor = id;
        }
        while (!slots.isEmpty() && !StreamIds.isAfter(slots.peekFirst().event.id(), id)) {
            slots.removeFirst();
        }
    }

    /** Takes up to {@code max} events in order, with {@code dropped} markers where lines were left out. */
    public synchronized List<StreamEvent> drain(int max) {
        List<StreamEvent> out = new ArrayList<>(Math.min(max, slots.size() + 1));
        while (!slots.isEmpty() && out.size() < max) {
            Slot slot = slots.removeFirst();
            if (slot.droppedBefore > 0) {
                out.add(StreamEvent.dropped(slot.lastDropped, slot.droppedBefore));
            }
            out.add(slot.event);
        }
        if (slots.isEmpty() && droppedAtEnd > 0) {
            out.add(StreamEvent.dropped(lastDroppedAtEnd, droppedAtEnd));
            droppedAtEnd = 0;
        }
        return out;
    }

    public synchronized boolean isEmpty() {
        return slots.isEmpty() && droppedAtEnd == 0;
    }

    /**
     * Runs {@code then} once there is something to drain: at once, on this thread, if there is;
     * otherwise on the thread that offers the next event or {@linkplain #wake() wakes} the outbox.
     * One waiter at a time (a later one takes the place of an earlier); nothing is allocated, so ten
     * thousand readers waiting cost nothing per wait.
     */
    public void whenReady(Runnable then) {
        synchronized (this) {
            if (isEmpty()) {
                waiter = then;
                return;
            }
        }
        then.run();
    }

    /**
     * Runs a pending {@link #whenReady}: after events were queued, or with nothing to drain (the
     * reader looks up, to send a keepalive, say).
     */
    public void wake() {
        Runnable wake;
        synchronized (this) {
            wake = waiter;
            waiter = null;
        }
        if (wake != null) {
            wake.run();
        }
    }

    public synchronized long droppedTotal() {
        return droppedTotal;
    }

    private void dropOldestLine() {
        Iterator<Slot> it = slots.iterator();
        while (it.hasNext()) {
            Slot slot = it.next();
            if (slot.event.isDroppable()) {
                it.remove();
                droppedTotal++;
                onDrop.run();
                long count = slot.droppedBefore + 1;
                if (it.hasNext()) {
                    Slot next = it.next();
                    next.droppedBefore += count;
                    next.lastDropped = slot.event.id();
                } else {
                    droppedAtEnd += count;
                    lastDroppedAtEnd = slot.event.id();
                }
                return;
            }
        }
    }
}
