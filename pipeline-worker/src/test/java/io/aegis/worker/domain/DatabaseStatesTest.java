package io.aegis.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.sequences.SequenceType;
import io.aegis.worker.domain.DatabaseEntry.State;
import io.aegis.worker.domain.DatabaseStates.Seen;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DatabaseStatesTest {

    private static final FastaSummary OLD = new FastaSummary(SequenceType.PROTEIN, 2, 49, "aaaaaaaaaaaa");
    private static final FastaSummary NEW = new FastaSummary(SequenceType.PROTEIN, 3, 59, "bbbbbbbbbbbb");
    private static final SourceStamp SOURCE = new SourceStamp(100, 1_000);
    private static final SourceStamp EARLIER = new SourceStamp(80, 500);
    private static final BuildMarker BUILT = new BuildMarker(OLD, SOURCE);
    private static final FailureRecord FAILED_ON_SOURCE = new FailureRecord("exit 1: no space", Instant.now(), SOURCE, NEW);

    private static DatabaseEntry entry(Seen seen) {
        return DatabaseStates.of("prots", seen).orElseThrow();
    }

    @Test
    void aNameWithoutSourceBuildOrFailureIsNoDatabase() {
        assertThat(DatabaseStates.of("prots", new Seen(false, null, null, BUILT, true, null))).isEmpty();
    }

    @Test
    void aRegistrationAMomentBeforeItsSourceIsInPlaceIsBuildingWithWhatItHolds() {
        DatabaseEntry e = entry(new Seen(true, NEW, null, null, false, null));
        assertThat(e.state()).isEqualTo(State.BUILDING);
        assertThat(e.sequences()).isEqualTo(3);
        assertThat(e.version()).isEqualTo(NEW.version());
    }

    @Test
    void aRegistrationWhoseSourceWasTakenAwayIsFailedWithWhatItHeldAndWhy() {
        DatabaseEntry e = entry(new Seen(false, null, null, null, false,
                new FailureRecord("exit 1: no space", Instant.now(), null, NEW)));
        assertThat(e).isEqualTo(new DatabaseEntry("prots", State.FAILED, SequenceType.PROTEIN, 3L, 59L,
                NEW.version(), "exit 1: no space"));
    }

    @Test
    void theBuildOfTheSourceAsItIsWithItsIndexIsReady() {
        assertThat(entry(new Seen(false, null, SOURCE, BUILT, true, null))).isEqualTo(
                new DatabaseEntry("prots", State.READY, SequenceType.PROTEIN, 2L, 49L, OLD.version(), null));
    }

    @Test
    void aReadyDatabaseBesideAFailureIsAReplacementThatFailedAndStaysReady() {
        DatabaseEntry e = entry(new Seen(false, null, SOURCE, BUILT, true, FAILED_ON_SOURCE));
        assertThat(e.state()).isEqualTo(State.READY);
        assertThat(e.version()).isEqualTo(OLD.version());
        assertThat(e.error()).isEqualTo("Replacing it failed: exit 1: no space");
    }

    @Test
    void aBuildWithoutItsIndexIsBuildingWithWhatTheSameSourceHeld() {
        DatabaseEntry e = entry(new Seen(false, null, SOURCE, BUILT, false, null));
        assertThat(e.state()).isEqualTo(State.BUILDING);
        assertThat(e.version()).isEqualTo(OLD.version());
    }

    @Test
    void aBuildOfAnEarlierSourceIsBuildingWithNothingKnownYet() {
        assertThat(entry(new Seen(false, null, SOURCE, new BuildMarker(OLD, EARLIER), true, null)))
                .isEqualTo(new DatabaseEntry("prots", State.BUILDING, null, null, null, null, null));
    }

    @Test
    void aFailureOnTheSourceAsItIsIsFailedButOnAnEarlierSourceItIsBuiltAgain() {
        assertThat(entry(new Seen(false, null, SOURCE, null, false, FAILED_ON_SOURCE)).state()).isEqualTo(State.FAILED);
        FailureRecord earlier = new FailureRecord("exit 1", Instant.now(), EARLIER, OLD);
        assertThat(entry(new Seen(false, null, SOURCE, null, false, earlier)).state()).isEqualTo(State.BUILDING);
        FailureRecord sourceless = new FailureRecord("exit 1", Instant.now(), null, null);
        assertThat(entry(new Seen(false, null, SOURCE, null, false, sourceless)).state()).isEqualTo(State.BUILDING);
    }

    @Test
    void whileABuildRunsHereItIsBuildingWhatEverElseIsThere() {
        DatabaseEntry replacing = entry(new Seen(true, NEW, SOURCE, BUILT, true, FAILED_ON_SOURCE));
        assertThat(replacing.state()).isEqualTo(State.BUILDING);
        assertThat(replacing.version()).as("what the registration holds").isEqualTo(NEW.version());
        DatabaseEntry rebuilding = entry(new Seen(true, null, SOURCE, BUILT, false, null));
        assertThat(rebuilding.version()).as("what the last build of the same source held").isEqualTo(OLD.version());
    }

    @Test
    void aBuildingDatabaseNobodyBuildsHereOrClaimedInTheStoreIsBuiltByWhoeverListsIt() {
        Seen unbuilt = new Seen(false, null, SOURCE, null, false, null);
        DatabaseEntry building = entry(unbuilt);
        assertThat(DatabaseStates.nobodyBuilds(building, unbuilt, false)).isTrue();
        assertThat(DatabaseStates.nobodyBuilds(building, unbuilt, true)).as("another replica builds it").isFalse();
        Seen here = new Seen(true, null, SOURCE, null, false, null);
        assertThat(DatabaseStates.nobodyBuilds(entry(here), here, false)).isFalse();
        Seen ready = new Seen(false, null, SOURCE, BUILT, true, null);
        assertThat(DatabaseStates.nobodyBuilds(entry(ready), ready, false)).isFalse();
        Seen failed = new Seen(false, null, SOURCE, null, false, FAILED_ON_SOURCE);
        assertThat(DatabaseStates.nobodyBuilds(entry(failed), failed, false)).isFalse();
    }
}
