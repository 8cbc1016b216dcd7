package io.aegis.worker.domain;

import io.aegis.worker.domain.DatabaseEntry.State;
import java.util.Optional;

/**
 * What a database is, building, ready or failed, from what was seen of its name in the source
 * folder, in the store and among this replica's builds. Replicas share the folder and the store, so
 * every replica that looks at the same files says the same, except about the builds it runs itself.
 */
public final class DatabaseStates {

    /**
     * What was seen of one name.
     *
     * @param buildingHere whether this replica runs (or has queued) a build of it
     * @param registered   what the registration being built here holds; null when none is
     * @param source       the source as it is now; null when there is no source
     * @param lastBuild    the marker of the last build of the name, whatever source it was built from; null when none
     * @param indexed      whether the last build's index is there (looked at only when that build is of the
     *                     source as it is now)
     * @param failure      the failure record of the name, when it is still listed; else null
     */
    public record Seen(boolean buildingHere, FastaSummary registered, SourceStamp source, BuildMarker lastBuild,
                       boolean indexed, FailureRecord failure) {
    }

    private DatabaseStates() {
    }

    /**
     * The database, or empty when there is none by that name. A source that is neither built nor
     * failed is building, whether or not anybody builds it yet: see {@link #nobodyBuilds}.
     */
    public static Optional<DatabaseEntry> of(String name, Seen seen) {
        FailureRecord failure = seen.failure();
        if (seen.source() == null) {
            // a registration a moment before its source is renamed into place, or one that failed
            return seen.buildingHere() ? Optional.of(DatabaseEntry.building(name, seen.registered()))
                    : Optional.ofNullable(failure).map(f -> DatabaseEntry.of(name, State.FAILED, f.summary(), f.error()));
        }
        BuildMarker current = seen.lastBuild() != null && seen.lastBuild().builtFrom(seen.source())
                ? seen.lastBuild() : null;
        if (!seen.buildingHere() && current != null && seen.indexed()) {
            // a failure beside a ready build is a replacement that failed: its source was put back
            return Optional.of(DatabaseEntry.of(name, State.READY, current.summary(),
                    failure == null ? null : "Replacing it failed: " + failure.error()));
        }
        if (!seen.buildingHere() && failure != null && failure.failedOn(seen.source())) {
            return Optional.of(DatabaseEntry.of(name, State.FAILED, failure.summary(), failure.error()));
        }
        // what is being built: known for a registration, or from the last build of the same source
        return Optional.of(DatabaseEntry.building(name, seen.registered() != null ? seen.registered()
                : current == null ? null : current.summary()));
    }

    /**
     * Whether a database listed as building is built by nobody: not here, and no replica claimed it
     * in the store (a source copied in by hand). The replica that lists it first builds it.
     */
    public static boolean nobodyBuilds(DatabaseEntry entry, Seen seen, boolean claimedInStore) {
        return entry.state() == State.BUILDING && !seen.buildingHere() && !claimedInStore;
    }
}
