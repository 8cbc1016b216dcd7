package io.aegis.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.events.ArtifactState;
import io.aegis.events.ArtifactStateEvent;
import io.aegis.events.CloudEvents;
import io.aegis.events.EventJson;
import io.aegis.events.JobDeletedEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.StepStatus;
import io.aegis.events.Steps;
import io.aegis.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class EventSerializerTest {

    private static final UUID JOB = UUID.randomUUID();
    private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

    private static Map<String, String> strings(Headers headers) {
        Map<String, String> map = new LinkedHashMap<>();
        for (Header header : headers) {
            map.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return map;
    }

    @Test
    void aWorkersEventIsSerializedAsACloudEventInBinaryMode() {
        JobProgressEvent progress = new JobProgressEvent(JobProgressEvent.SCHEMA, JOB, 1, 5, Steps.SEARCH,
                StepStatus.RUNNING, 0, 2, JobStatus.RUNNING, null, null, null, false, "w", AT);
        Headers headers = new RecordHeaders();

        byte[] body = new EventSerializer().serialize(Topics.JOB_PROGRESS, headers, progress);

        assertThat(EventJson.decode(body, JobProgressEvent.class)).isEqualTo(progress);
        assertThat(strings(headers)).containsExactlyEntriesOf(CloudEvents.of(progress));
    }

    @Test
    void anArtifactStateIsFromArtifactService() {
        ArtifactStateEvent artifact = new ArtifactStateEvent(ArtifactStateEvent.SCHEMA, JOB, "alice", "hits.tsv",
                ArtifactState.READY, 10, null, AT, 1);
        Headers headers = new RecordHeaders();

        new EventSerializer().serialize(Topics.ARTIFACT_STATE, headers, artifact);

        assertThat(strings(headers)).containsEntry("ce_source", CloudEvents.ARTIFACT_SERVICE)
                .containsEntry("ce_type", "io.aegis.artifact.state").containsEntry("ce_subject", JOB.toString());
    }

    @Test
    void aRecordThatIsACloudEventAlreadyKeepsItsAttributes() {
        JobProgressEvent progress = new JobProgressEvent(JobProgressEvent.SCHEMA, JOB, 1, 5, Steps.SEARCH,
                StepStatus.RUNNING, 0, 2, JobStatus.RUNNING, null, null, null, false, "w", AT);
        Headers headers = new RecordHeaders().add("ce_id", "original".getBytes(StandardCharsets.UTF_8));

        new EventSerializer().serialize(Topics.DEAD_LETTER, headers, progress);

        assertThat(strings(headers)).containsExactly(Map.entry("ce_id", "original"));
    }

    @Test
    void aDeadLetterKeepsTheHeadersOfItsOriginalAndGetsNoneMade() {
        JobProgressEvent broken = new JobProgressEvent(JobProgressEvent.SCHEMA, null, 0, 1, null, null, 0, 0, null, null,
                null, null, false, null, null);
        Headers headers = new RecordHeaders().add("dead-letter-topic", Topics.JOB_PROGRESS.getBytes(StandardCharsets.UTF_8));

        byte[] body = new EventSerializer().serialize(Topics.DEAD_LETTER, headers, broken);

        assertThat(strings(headers)).containsOnlyKeys("dead-letter-topic");
        assertThat(EventJson.decode(body, JobProgressEvent.class)).isEqualTo(broken);
    }

    @Test
    void anEventAboutNoJobIsNoCloudEvent() {
        assertThat(CloudEvents.of((Object) new JobProgressEvent(JobProgressEvent.SCHEMA, null, 0, 1, null, null, 0, 0,
                null, null, null, null, false, null, null))).isEmpty();
    }

    @Test
    void eventsWhoseIdsTheOutboxKeepsGetNoHeadersHere() {
        Headers headers = new RecordHeaders();

        new EventSerializer().serialize(Topics.JOB_DELETED, headers,
                new JobDeletedEvent(JobDeletedEvent.SCHEMA, JOB, "alice", "retention", AT));

        assertThat(headers.toArray()).isEmpty();
    }
}
