package io.aegis.job.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.events.ArtifactState;
import io.aegis.events.ArtifactStateEvent;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which artifact event settles a job's finalization, and when the sweep stops asking for it. */
class FinalizationTest {

    private static final UUID JOB = UUID.fromString("7d6c5b4a-0000-4000-8000-000000000001");

    private static ArtifactStateEvent event(String name, ArtifactState state, Integer attempt) {
        return new ArtifactStateEvent(ArtifactStateEvent.SCHEMA, JOB, "alice", name, state, 10, "abc",
                Instant.parse("2026-01-05T10:00:00Z"), attempt);
    }

    @Test
    void theManifestReadyOrFailedSettlesTheAttemptItWasBuiltFor() {
        assertThat(Finalization.settledAttempt(event(ArtifactStateEvent.MANIFEST, ArtifactState.READY, 2))).hasValue(2);
        assertThat(Finalization.settledAttempt(event(ArtifactStateEvent.MANIFEST, ArtifactState.FAILED, 3))).hasValue(3);
    }

    @Test
    void aManifestThatDoesNotNameItsAttemptSettlesTheFirst() {
        assertThat(Finalization.settledAttempt(event(ArtifactStateEvent.MANIFEST, ArtifactState.READY, null))).hasValue(1);
    }

    @Test
    void everyOtherArtifactOrStateSettlesNothing() {
        assertThat(Finalization.settledAttempt(event("hits.tsv", ArtifactState.READY, 1))).isEmpty();
        assertThat(Finalization.settledAttempt(event("summary.json", ArtifactState.FAILED, 1))).isEmpty();
        for (ArtifactState state : new ArtifactState[]{ArtifactState.MISSING, ArtifactState.PENDING, ArtifactState.ON_REQUEST}) {
            assertThat(Finalization.settledAttempt(event(ArtifactStateEvent.MANIFEST, state, 1))).as(state.wire()).isEmpty();
        }
        assertThat(Finalization.settledAttempt(null)).isEmpty();
        assertThat(Finalization.settledAttempt(new ArtifactStateEvent(ArtifactStateEvent.SCHEMA, null, "alice",
                ArtifactStateEvent.MANIFEST, ArtifactState.READY, 0, null, Instant.EPOCH, 1))).isEmpty();
    }

    @Test
    void theSweepAnnouncesAgainUntilItHasAskedTheLimitThenGivesUp() {
        assertThat(Finalization.next(0, 3)).isEqualTo(Finalization.Step.REANNOUNCE);
        assertThat(Finalization.next(2, 3)).isEqualTo(Finalization.Step.REANNOUNCE);
        assertThat(Finalization.next(3, 3)).isEqualTo(Finalization.Step.GIVE_UP);
        assertThat(Finalization.next(0, 0)).isEqualTo(Finalization.Step.GIVE_UP);
    }
}
