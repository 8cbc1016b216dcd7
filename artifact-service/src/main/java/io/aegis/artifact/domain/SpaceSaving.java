package io.aegis.artifact.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The most frequent keys of a stream in fixed memory, by the Space-Saving algorithm (Metwally,
 * Agrawal, El Abbadi 2005): at most {@code capacity} counters; a key not counted yet takes over the
 * smallest counter, inheriting its count as possible over-count. Every key seen more than
 * {@code n / capacity} times in a stream of {@code n} is guaranteed to hold a counter, and no count
 * is ever below the key's true count nor above it by more than {@code n / capacity}. While the
 * distinct keys fit, every count is exact. Each key also keeps the best score seen while it held its
 * counter. Not thread-safe.
 */
final class SpaceSaving {

    /** A key's estimated count, at most {@code overcount} above its true count. */
    record Entry(String key, long count, long overcount, double bestScore) {
    }

    private static final Comparator<Entry> MOST_FREQUENT = Comparator.comparingLong(Entry::count).reversed()
            .thenComparing(Comparator.comparingDouble(Entry::bestScore).reversed())
            .thenComparing(Entry::key);

    private static final class Counter {
        String key;
        long count;
        long overcount;
        double bestScore;
        int slot;
    }

    private final int capacity;
    private final Map<String, Counter> byKey = new HashMap<>();
    /** A binary min-heap on count: the counter a new key takes over is always at the root. */
    private final Counter[] heap;
    private int size;
    private boolean evicted;

    SpaceSaving(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.heap = new Counter[capacity];
    }

    void add(String key, double score) {
        Counter counter = byKey.get(key);
        if (counter != null) {
            counter.count++;
            counter.bestScore = Math.max(counter.bestScore, score);
            siftDown(counter.slot);
        } else if (size < capacity) {
            counter = new Counter();
            counter.key = key;
            counter.count = 1;
            counter.bestScore = score;
            counter.slot = size;
            heap[size++] = counter;
            byKey.put(key, counter);
            siftUp(counter.slot);
        } else {
            counter = heap[0];
            byKey.remove(counter.key);
            counter.key = key;
            counter.overcount = counter.count;
            counter.count++;
            counter.bestScore = score;
            byKey.put(key, counter);
            evicted = true;
            siftDown(0);
        }
    }

    /** True while no key has lost its counter: every count is the true count. */
    boolean exact() {
        return !evicted;
    }

    /** The {@code limit} highest counts, highest first; ties by best score, then key. */
    List<Entry> top(int limit) {
        List<Entry> entries = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Counter c = heap[i];
            entries.add(new Entry(c.key, c.count, c.overcount, c.bestScore));
        }
        entries.sort(MOST_FREQUENT);
        return List.copyOf(entries.subList(0, Math.min(limit, entries.size())));
    }

    private void siftUp(int slot) {
        Counter moving = heap[slot];
        while (slot > 0) {
            int parent = (slot - 1) / 2;
            if (heap[parent].count <= moving.count) {
                break;
            }
            place(heap[parent], slot);
            slot = parent;
        }
        place(moving, slot);
    }

    private void siftDown(int slot) {
        Counter moving = heap[slot];
        while (true) {
            int child = 2 * slot + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && heap[child + 1].count < heap[child].count) {
                child++;
            }
            if (heap[child].count >= moving.count) {
                break;
            }
            place(heap[child], slot);
            slot = child;
        }
        place(moving, slot);
    }

    private void place(Counter counter, int slot) {
        heap[slot] = counter;
        counter.slot = slot;
    }
}
