package io.aegis.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.sequences.SequenceType;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The marker a build leaves and the record a failed build leaves, as the store keeps them. */
class DatabaseRecordsTest {

    private static final FastaSummary SUMMARY = new FastaSummary(SequenceType.NUCLEOTIDE, 3, 51, "0123456789ab");
    private static final SourceStamp SOURCE = new SourceStamp(61, 1_700_000_000_000L);

    @Test
    void aMarkerIsReadBackAsItWasWrittenAndTellsWhichSourceItWasBuiltFrom() {
        Properties p = new BuildMarker(SUMMARY, SOURCE).toProperties();
        assertThat(p).containsEntry("type", "NUCLEOTIDE").containsEntry("sequences", "3")
                .containsEntry("source-size", "61").containsEntry("source-modified", "1700000000000");
        BuildMarker marker = BuildMarker.read(p).orElseThrow();
        assertThat(marker).isEqualTo(new BuildMarker(SUMMARY, SOURCE));
        assertThat(marker.builtFrom(SOURCE)).isTrue();
        assertThat(marker.builtFrom(new SourceStamp(61, 1_700_000_000_001L))).as("touched").isFalse();
        assertThat(marker.builtFrom(new SourceStamp(62, 1_700_000_000_000L))).as("grown").isFalse();
        assertThat(marker.builtFrom(null)).as("no source").isFalse();
        assertThat(marker.indexFile("genes")).isEqualTo("genes.nin");
        assertThat(new BuildMarker(new FastaSummary(SequenceType.PROTEIN, 1, 1, "v"), SOURCE).indexFile("prots"))
                .isEqualTo("prots.pin");
    }

    @Test
    void anIncompleteMarkerIsNoBuild() {
        for (String key : new String[] {"type", "sequences", "residues", "source-size", "source-modified"}) {
            Properties p = new BuildMarker(SUMMARY, SOURCE).toProperties();
            p.remove(key);
            assertThat(BuildMarker.read(p)).as(key).isEmpty();
        }
        Properties unknownType = new BuildMarker(SUMMARY, SOURCE).toProperties();
        unknownType.setProperty("type", "RNA");
        assertThat(BuildMarker.read(unknownType)).isEmpty();
    }

    @Test
    void aFailureIsReadBackWithOrWithoutItsSourceAndSummary() {
        Instant at = Instant.parse("2025-01-02T03:04:05Z");
        FailureRecord whole = new FailureRecord("exit 1: no space", at, SOURCE, SUMMARY);
        assertThat(FailureRecord.read(whole.toProperties())).isEqualTo(whole);
        FailureRecord bare = new FailureRecord("gone", at, null, null);
        assertThat(bare.toProperties()).containsOnlyKeys("error", "failed-at");
        assertThat(FailureRecord.read(bare.toProperties())).isEqualTo(bare);
    }

    @Test
    void aFailureIsListedForADayAndOnlyForTheSourceItFailedOn() {
        Instant at = Instant.parse("2025-01-02T03:04:05Z");
        FailureRecord failure = new FailureRecord("exit 1", at, SOURCE, null);
        assertThat(failure.expired(at.plus(Duration.ofHours(23)))).isFalse();
        assertThat(failure.expired(at.plus(Duration.ofHours(24)))).isFalse();
        assertThat(failure.expired(at.plus(Duration.ofHours(24)).plusSeconds(1))).isTrue();
        assertThat(failure.failedOn(SOURCE)).isTrue();
        assertThat(failure.failedOn(new SourceStamp(61, 0))).isFalse();
        assertThat(new FailureRecord("exit 1", at, null, null).failedOn(SOURCE)).as("failed on no source").isFalse();
    }

    @Test
    void aFailureRecordThatSaysNotWhenItFailedIsRefused() {
        Properties p = new FailureRecord("exit 1", Instant.now(), SOURCE, SUMMARY).toProperties();
        p.setProperty("failed-at", "yesterday");
        assertThatThrownBy(() -> FailureRecord.read(p)).isInstanceOf(IllegalArgumentException.class);
        p.remove("failed-at");
        assertThatThrownBy(() -> FailureRecord.read(p)).isInstanceOf(IllegalArgumentException.class);
    }
}
