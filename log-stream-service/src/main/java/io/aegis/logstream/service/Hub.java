package io.aegis.logstream.service;

import io.aegis.logstream.domain.Attempts;
import io.aegis.logstream.domain.Outbox;
import io.aegis.logstream.domain.StreamEvent;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The in-process fan-out: one feed per job with readers on this replica. When the job's replay
 * buffer grows, its feed reads the new events once and offers them to every reader's outbox, in
 * order, on the thread that writes the reader's connection; a reader that cannot keep up loses log
 * lines in its own outbox and slows no one else.
 * {@link Listener}s follow a job for as long as its feed is open (its pods' logs, say).
 */
@ApplicationScoped
public class Hub {

    private static final int PAGE = 500;
    private static final Duration RETRY = Duration.ofMillis(500);

    private final EventLog log;
    private final Instance<Listener> listeners;
    private final Map<UUID, Feed> feeds = new ConcurrentHashMap<>();
    private final Deliveries deliveries = new Deliveries();

    public Hub(EventLog log, Instance<Listener> listeners) {
        this.log = log;
        this.listeners = listeners;
    }

    /**
     * Follows a job while this replica has readers of it, and until the job's terminal event has
     * passed; again when the job was retried after it (an event of a later attempt passes, or a
     * reader of the running job joins).
     */
    public interface Listener {

        /**
         * The job's feed opened; answers what stops following it, run once when the feed closes or
         * the job's terminal event passes. Both run while the hub holds the job's entry: they must
         * return at once, and neither may join nor leave the hub.
         */
        Runnable opened(UUID jobId);
    }

    /** The job's buffer has new events: its feed, if this replica has one, reads them. */
    public void signal(UUID jobId) {
        Feed feed = feeds.get(jobId);
        if (feed != null) {
            feed.read();
        }
    }

    /**
     * Adds a reader; completes once the job's feed knows where it starts, so every event appended
     * from then on reaches the outbox (once the reader {@linkplain Outbox opens} it).
     *
     * @param thread where the outbox is offered its events: the thread that writes the reader's connection
     * @param ended  whether the job has ended: its reader waits for artifact events only, and a feed
     *               opened for it has no {@link Listener}s (there are no more pods to follow); a reader
     *               of a running job has the feed follow it again if it stopped at an earlier end
     */
    public Uni<Membership> join(UUID jobId, Outbox outbox, Executor thread, boolean ended) {
        Feed feed = feeds.compute(jobId, (id, existing) -> {
            Feed f = existing != null ? existing : new Feed(id);
            if (!ended) {
                f.follow();
            }
            f.readers.put(outbox, thread);
            return f;
        });
        return feed.started().replaceWith(new Membership(jobId, outbox));
    }

    public int feeds() {
        return feeds.size();
    }

    /** A reader's place in a feed; closing it leaves the feed (the last reader closes the feed). */
    public final class Membership implements AutoCloseable {

        private final UUID jobId;
        private final Outbox outbox;

        private Membership(UUID jobId, Outbox outbox) {
            this.jobId = jobId;
            this.outbox = outbox;
        }

        @Override
        public void close() {
            feeds.computeIfPresent(jobId, (id, feed) -> {
                feed.readers.remove(outbox);
                if (!feed.readers.isEmpty()) {
                    return feed;
                }
                feed.unfollow();
                return null;
            });
        }
    }

    private final class Feed {

        private final UUID jobId;
        private final Map<Outbox, Executor> readers = new ConcurrentHashMap<>();
        private final Uni<String> start;
        /** What stops following the job, while it is followed; guarded by this feed. */
        private List<Runnable> unfollows;
        /** The attempt of the last terminal event that passed (0 for none): a later attempt's events follow the job again. */
        private int endedAttempt = Attempts.NONE;
        private String cursor;
        private boolean reading;
        private boolean again;

        Feed(UUID jobId) {
            this.jobId = jobId;
            // the newest event when the feed starts: readers replay up to it themselves
            this.start = log.newest(jobId)
                    .onFailure().retry().withBackOff(RETRY, Duration.ofSeconds(5)).indefinitely()
                    .invoke(newest -> {
                        synchronized (this) {
                            cursor = newest;
                        }
                        read();
                    })
                    .memoize().indefinitely();
        }

        /** Follows the job, unless it is followed already. */
        synchronized void follow() {
            if (unfollows == null) {
                unfollows = listeners.stream().map(listener -> listener.opened(jobId)).toList();
            }
        }

        void unfollow() {
            List<Runnable> stopping;
            synchronized (this) {
                stopping = unfollows;
                unfollows = null;
            }
            if (stopping != null) {
                for (Runnable unfollow : stopping) {
                    try {
                        unfollow.run();
                    } catch (RuntimeException e) {
                        Log.warnf(e, "Following job %s did not stop cleanly", jobId);
                    }
                }
            }
        }

        Uni<String> started() {
            return start;
        }

        void read() {
            synchronized (this) {
                if (cursor == null || reading) {
                    again = true;
                    return;
                }
                reading = true;
                again = false;
            }
            log.after(jobId, cursor, PAGE).subscribe().with(this::hand, failure -> {
                Log.debugf("Feed of %s could not read: %s", jobId, failure.toString());
                retryLater();
            });
        }

        private void hand(List<StreamEvent> events) {
            if (!events.isEmpty()) {
                followAcross(events);
                readers.forEach((reader, thread) -> deliveries.deliver(thread, reader, events));
            }
            boolean more;
            synchronized (this) {
                if (!events.isEmpty()) {
                    cursor = events.getLast().id();
                }
                reading = false;
                more = again || events.size() == PAGE;
            }
            if (more && feeds.get(jobId) == this) {
                read();
            }
        }

        /**
         * A terminal event stops following the job; an event of a later attempt than the last end's
         * (the job was retried and runs again) follows it again, as its new attempt has pods of its own.
         */
        private void followAcross(List<StreamEvent> events) {
            for (StreamEvent event : events) {
                if (event.isTerminal()) {
                    endedAttempt = Math.max(endedAttempt, event.attempt());
                    unfollow();
                } else if (endedAttempt != Attempts.NONE && event.attempt() > endedAttempt) {
                    endedAttempt = Attempts.NONE;
                    follow();
                }
            }
        }

        private void retryLater() {
            synchronized (this) {
                reading = false;
                again = false;
            }
            Uni.createFrom().voidItem().onItem().delayIt().by(RETRY).subscribe().with(done -> {
                if (feeds.get(jobId) == this) {
                    read();
                }
            });
        }
    }
}
