package io.aegis.worker.service;

import io.aegis.worker.domain.FastaSummary;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The builds this replica runs: at most one per name, found by whoever asks for that name meanwhile
 * and waited for. Builds nobody waits for (registrations, sources copied in by hand) run on one
 * background thread. Every outcome is kept in the store, a failure in {@link FailureRecords}, so
 * every replica lists it; a build cut short by a shutdown records nothing, and its source is built
 * at the next start.
 */
@ApplicationScoped
public class DatabaseBuilds {

    /** A build running (or queued) here; {@code summary} is known for registrations. */
    record Build(CompletableFuture<BlastDatabase> done, FastaSummary summary) {

        Build(FastaSummary summary) {
            this(new CompletableFuture<>(), summary);
        }
    }

    private final DatabaseFolders folders;
    private final DatabaseBuilder builder;
    private final FailureRecords failures;
    private final Map<String, Build> running = new ConcurrentHashMap<>();
    private final ExecutorService background = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("database-builder").daemon().factory());
    private volatile boolean closing;

    public DatabaseBuilds(DatabaseFolders folders, DatabaseBuilder builder, FailureRecords failures) {
        this.folders = folders;
        this.builder = builder;
        this.failures = failures;
    }

    /** Stops building; a registration cut short keeps its source and is built at the next start. */
    @PreDestroy
    void close() {
        closing = true;
        background.shutdownNow();
    }

    /** Whether the worker is stopping: a build that fails now failed because of that. */
    boolean closing() {
        return closing;
    }

    Optional<Build> running(String name) {
        return Optional.ofNullable(running.get(name));
    }

    /** The names built here now. */
    Set<String> names() {
        return running.keySet();
    }

    /**
     * The names some replica, this one too, is building now: a build folder for them, younger than
     * the longest build, is in the store.
     */
    Set<String> claimedInStore() {
        return folders.building(Instant.now().minus(DatabaseBuilder.TIMEOUT));
    }

    /**
     * Builds a source on the calling thread, or waits for the build of it running here.
     *
     * @throws DatabaseRegistry.BuildFailure when the build fails
     */
    BlastDatabase buildHere(String name, Path source) {
        Build mine = new Build(null);
        Build other = running.putIfAbsent(name, mine);
        if (other != null) {
            return await(other);
        }
        try {
            BlastDatabase database = buildRecorded(name, source, null, null);
            mine.done().complete(database);
            return database;
        } catch (RuntimeException e) {
            mine.done().completeExceptionally(e);
            throw e;
        } finally {
            running.remove(name, mine);
        }
    }

    /** Builds a source nobody builds on the background thread, unless a build of it runs here already. */
    void buildInBackground(String name, Path source) {
        Build build = new Build(null);
        if (closing || running.putIfAbsent(name, build) != null) {
            return;
        }
        try {
            queue(name, build, () -> buildRecorded(name, source, null, null));
        } catch (RejectedExecutionException e) {
            running.remove(name, build);
        }
    }

    /**
     * Takes a name for a registration, whatever builds it here: the caller has checked that none does
     * and holds the lock registrations take. The caller then {@link #queue}s its build, or
     * {@link #abandon}s it.
     */
    Build reserve(String name, FastaSummary summary) {
        Build build = new Build(summary);
        running.put(name, build);
        return build;
    }

    /**
     * Runs {@code work} on the background thread as the build of {@code name}: its outcome completes
     * the build, which then ends.
     *
     * @throws RejectedExecutionException when the worker is stopping
     */
    void queue(String name, Build build, Supplier<BlastDatabase> work) {
        background.execute(() -> {
            try {
                build.done().complete(work.get());
            } catch (RuntimeException e) {
                build.done().completeExceptionally(e);
            } finally {
                running.remove(name, build);
            }
        });
    }

    /** Ends a registration's build that was never queued. */
    void abandon(String name, Build build, Throwable cause) {
        running.remove(name, build);
        build.done().completeExceptionally(cause);
    }

    /**
     * Builds, and keeps the outcome in the store so every replica lists a failure.
     *
     * @param summary what the source holds when already read, else null
     * @param claim   the build folder when already made, else null
     */
    BlastDatabase buildRecorded(String name, Path source, FastaSummary summary, Path claim) {
        try {
            BlastDatabase database = builder.build(name, source, summary, claim);
            failures.clear(name);
            return database;
        } catch (DatabaseRegistry.BuildFailure e) {
            if (!closing) {
                Log.errorf("Database %s: %s", name, e.getMessage());
                failures.record(name, source, summary, e.getMessage());
            }
            throw e;
        }
    }

    /**
     * @throws DatabaseRegistry.BuildFailure when the build failed
     */
    static BlastDatabase await(Build build) {
        try {
            return build.done().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof DatabaseRegistry.BuildFailure failure ? failure
                    : new DatabaseRegistry.BuildFailure(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseRegistry.BuildFailure("Interrupted while the database was built", e);
        }
    }

    /** Waits for a build, whatever its outcome: the caller looks at what it left. */
    static void awaitQuietly(Build build) {
        try {
            await(build);
        } catch (DatabaseRegistry.BuildFailure e) {
            // the caller looks at what the build left
        }
    }
}
