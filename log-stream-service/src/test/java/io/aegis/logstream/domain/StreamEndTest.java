package io.aegis.logstream.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.events.ArtifactState;
import io.aegis.events.ArtifactStateEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StreamEndTest {

    private static final UUID JOB = UUID.fromString("0b6c5f6e-8a43-4d4b-9d0e-2f1c3a4b5c6d");

    private static StreamEvent artifact(String name, ArtifactState state) {
        return StreamEvent.of(new ArtifactStateEvent(ArtifactStateEvent.SCHEMA, JOB, "alice", name, state, 10, "ab",
                Instant.parse("2026-12-02T10:00:00Z"))).orElseThrow().withId("7-3");
    }

    @Test
    void theManifestReadyOrFailedForGoodSettlesTheFinalization() {
        assertThat(StreamEnd.settles(artifact("manifest.json", ArtifactState.READY))).isTrue();
        assertThat(StreamEnd.settles(artifact("manifest.json", ArtifactState.FAILED))).isTrue();
    }

    @Test
    void anyOtherArtifactOrAPendingManifestDoesNot() {
        assertThat(StreamEnd.settles(artifact("manifest.json", ArtifactState.PENDING))).isFalse();
        assertThat(StreamEnd.settles(artifact("hits.tsv", ArtifactState.READY))).isFalse();
        assertThat(StreamEnd.settles(artifact("manifest.json.bak", ArtifactState.READY))).isFalse();
        assertThat(StreamEnd.settles(new StreamEvent("7-4", "log", "{\"line\":\"manifest.json\",\"state\":\"ready\"}"))).isFalse();
        assertThat(StreamEnd.settles(new StreamEvent("7-5", "succeeded", "{}"))).isFalse();
    }

    @Test
    void theWaitForArtifactsCountsFromTheJobsEndOrFromNowWhenThatIsUnknown() {
        assertThat(StreamEnd.endBy(1_000, 50_000, Duration.ofMinutes(2))).isEqualTo(121_000);
        assertThat(StreamEnd.endBy(0, 50_000, Duration.ofMinutes(2))).isEqualTo(170_000);
    }

    @Test
    void theEndSaysWhetherEveryArtifactEventCameBeforeIt() {
        assertThat(StreamEnd.end(true)).isEqualTo(new StreamEvent(null, "end", "{\"finalized\":true}"));
        assertThat(StreamEnd.end(false)).isEqualTo(new StreamEvent(null, "end", "{\"finalized\":false}"));
    }
}
