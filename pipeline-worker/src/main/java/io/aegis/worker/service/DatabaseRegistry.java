package io.aegis.worker.service;

import io.aegis.worker.domain.BuildMarker;
import io.aegis.worker.domain.DatabaseEntry;
import io.aegis.worker.domain.DatabaseStates;
import io.aegis.worker.domain.SourceStamp;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The BLAST databases this worker can search, listed and found for jobs: every {@code <name>.fasta}
 * of the source folder, built into the store when missing or when its source changed.
 *
 * <p>Replicas share the source folder and the store, so the listing is read from them each time (a
 * directory listing and one small marker file per database): a database another replica registered
 * is listed here as building, then ready. Only the replica that registered a database builds it; a
 * source nobody builds (one copied in by hand) is built by the replica that lists it first.
 */
@ApplicationScoped
public class DatabaseRegistry {

    /** A database that exists as a source but could not be built. */
    public static final class BuildFailure extends RuntimeException {
        BuildFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final DatabaseFolders folders;
    private final DatabaseBuilder builder;
    private final DatabaseBuilds builds;
    private final FailureRecords failures;
    private final DatabaseLeftovers leftovers;

    public DatabaseRegistry(DatabaseFolders folders, DatabaseBuilder builder, DatabaseBuilds builds,
                            FailureRecords failures, DatabaseLeftovers leftovers) {
        this.folders = folders;
        this.builder = builder;
        this.builds = builds;
        this.failures = failures;
        this.leftovers = leftovers;
    }

    void onStart(@Observes StartupEvent start) {
        refresh();
    }

    /** Every database, by name: ready, building (here or on another replica) or failed. */
    public List<DatabaseEntry> list() {
        Set<String> names = new HashSet<>(folders.sourceNames());
        names.addAll(builds.names());
        names.addAll(failures.names());
        Set<String> claimed = builds.claimedInStore();
        Map<String, DatabaseEntry> entries = new TreeMap<>();
        for (String name : names) {
            entry(name, claimed).ifPresent(e -> entries.put(name, e));
        }
        return List.copyOf(entries.values());
    }

    /** One database as {@link #list()} shows it. */
    public Optional<DatabaseEntry> status(String name) {
        return DatabaseFolders.validName(name) ? entry(name, builds.claimedInStore()) : Optional.empty();
    }

    /**
     * The database by name, built first when missing or stale; empty when there is no such source.
     * A build of it running here is waited for.
     *
     * @throws BuildFailure when the source exists but makeblastdb could not build it
     */
    public Optional<BlastDatabase> find(String name) {
        if (!DatabaseFolders.validName(name)) {
            return Optional.empty();
        }
        // its outcome decides what there is: a registration that fails takes its source away
        builds.running(name).ifPresent(DatabaseBuilds::awaitQuietly);
        Path source = folders.source(name);
        if (!Files.isRegularFile(source)) {
            return Optional.empty();
        }
        Optional<BlastDatabase> ready = builder.current(name, source);
        return ready.isPresent() ? ready : Optional.of(builds.buildHere(name, source));
    }

    /** Builds every source that is missing or stale, and removes what old crashes left behind. */
    public void refresh() {
        if (!Files.isDirectory(folders.sourceDir())) {
            Log.warnf("No database folder at %s: no databases registered", folders.sourceDir());
            return;
        }
        leftovers.remove();
        for (String name : folders.sourceNames()) {
            try {
                find(name);
            } catch (BuildFailure e) {
                // logged and recorded where it failed; listed as failed
            } catch (RuntimeException e) {
                Log.errorf(e, "Database %s could not be built", name);
            }
        }
    }

    /** What the folders and this replica's builds say of a name; a source nobody builds is built here. */
    private Optional<DatabaseEntry> entry(String name, Set<String> claimed) {
        Optional<DatabaseBuilds.Build> running = builds.running(name);
        Path source = folders.source(name);
        SourceStamp stamp = Files.isRegularFile(source) ? SourceStamp.find(source).orElse(null) : null;
        BuildMarker lastBuild = stamp == null ? null : builder.lastBuild(name).orElse(null);
        DatabaseStates.Seen seen = new DatabaseStates.Seen(running.isPresent(),
                running.map(DatabaseBuilds.Build::summary).orElse(null), stamp, lastBuild,
                lastBuild != null && lastBuild.builtFrom(stamp) && builder.indexed(name, lastBuild),
                failures.find(name).orElse(null));
        Optional<DatabaseEntry> entry = DatabaseStates.of(name, seen);
        if (entry.filter(e -> DatabaseStates.nobodyBuilds(e, seen, claimed.contains(name))).isPresent()) {
            builds.buildInBackground(name, source);
        }
        return entry;
    }
}
