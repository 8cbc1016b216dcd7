package io.aegis.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CloudEventsTest {

    private static final UUID JOB = UUID.fromString("3f1c2a4e-8b7d-4c6a-9e21-5a0b7c3d9f10");
    private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void binaryModeCarriesTheRequiredAttributesAsCePrefixedHeaders() {
        var headers = CloudEvents.binaryHeaders(Topics.JOB_STATE, "e-1", CloudEvents.JOB_SERVICE, "job-7", AT);

        assertThat(headers).containsExactly(
                Map.entry("ce_specversion", "1.0"),
                Map.entry("ce_id", "e-1"),
                Map.entry("ce_source", "/aegis/job-service"),
                Map.entry("ce_type", "io.aegis.job.state"),
                Map.entry("ce_subject", "job-7"),
                Map.entry("ce_time", "2026-01-02T03:04:05Z"),
                Map.entry("content-type", "application/json"));
        assertThat(headers.keySet()).containsExactlyElementsOf(CloudEvents.HEADERS);
    }

    private static JobProgressEvent progress(long seq, int attempt) {
        return new JobProgressEvent(JobProgressEvent.SCHEMA, JOB, attempt, seq, Steps.SEARCH, StepStatus.RUNNING, 0, 2,
                JobStatus.RUNNING, null, null, null, false, "w-1", AT);
    }

    private static JobLogEvent line(long seq) {
        return new JobLogEvent(JobLogEvent.SCHEMA, JOB, 1, seq, Steps.SEARCH, LogStream.STDOUT, "blastp", "x", AT);
    }

    private static ArtifactStateEvent artifact(ArtifactState state, Instant at) {
        return new ArtifactStateEvent(ArtifactStateEvent.SCHEMA, JOB, "alice", "hits.tsv", state, 0, null, at, 1);
    }

    @Test
    void theWorkersEventsAreAboutTheirJobFromTheWorkerWithTheirOwnType() {
        assertThat(CloudEvents.of(progress(3, 1))).containsEntry("ce_source", "/aegis/pipeline-worker")
                .containsEntry("ce_type", "io.aegis.job.progress").containsEntry("ce_subject", JOB.toString())
                .containsEntry("ce_time", AT.toString());
        assertThat(CloudEvents.of(line(4))).containsEntry("ce_source", "/aegis/pipeline-worker")
                .containsEntry("ce_type", "io.aegis.job.log").containsEntry("ce_subject", JOB.toString());
        assertThat(CloudEvents.of(artifact(ArtifactState.READY, AT))).containsEntry("ce_source", "/aegis/artifact-service")
                .containsEntry("ce_type", "io.aegis.artifact.state").containsEntry("ce_subject", JOB.toString());
    }

    @Test
    void theSameEventSentTwiceHasTheSameIdSoConsumersCanDropTheDuplicate() {
        assertThat(CloudEvents.of(progress(3, 1)).get("ce_id")).isEqualTo(CloudEvents.of(progress(3, 1)).get("ce_id"));
        assertThat(CloudEvents.of(line(4)).get("ce_id")).isEqualTo(CloudEvents.of(line(4)).get("ce_id"));
        assertThat(CloudEvents.of(artifact(ArtifactState.READY, AT)).get("ce_id"))
                .isEqualTo(CloudEvents.of(artifact(ArtifactState.READY, AT)).get("ce_id"));
    }

    @Test
    void differentEventsHaveDifferentIds() {
        assertThat(java.util.stream.Stream.of(
                        CloudEvents.of(progress(3, 1)), CloudEvents.of(progress(4, 1)), CloudEvents.of(progress(3, 2)),
                        CloudEvents.of(line(3)), CloudEvents.of(line(4)),
                        CloudEvents.of(artifact(ArtifactState.PENDING, AT)), CloudEvents.of(artifact(ArtifactState.READY, AT)),
                        CloudEvents.of(artifact(ArtifactState.PENDING, AT.plusSeconds(1))))
                .map(headers -> headers.get("ce_id")))
                .doesNotHaveDuplicates();
    }
}
