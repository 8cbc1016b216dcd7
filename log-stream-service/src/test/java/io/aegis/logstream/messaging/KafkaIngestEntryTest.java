package io.aegis.logstream.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.events.ArtifactState;
import io.aegis.events.ArtifactStateEvent;
import io.aegis.events.JobLogEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.LogStream;
import io.aegis.events.Topics;
import io.aegis.kubernetes.PodLogLine;
import io.aegis.kubernetes.PodLogLines;
import io.aegis.logstream.domain.StreamEvent;
import io.aegis.logstream.kubernetes.PodLogEvents;
import io.aegis.logstream.service.EventLog;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Where a Kafka record's event comes from, as the replay buffer tells duplicates apart. */
class KafkaIngestEntryTest {

    private static final UUID JOB = UUID.fromString("4f1c7c1e-7d0a-4f43-9d7e-2d1f0b6a9c11");
    private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");
    private static final StreamEvent EVENT = new StreamEvent(null, StreamEvent.LOG, "{}");

    @Test
    void aPodsLineIsKnownByItsContainerAndIndexAsTheFollowerKnowsIt() {
        JobLogEvent line = new JobLogEvent(JobLogEvent.SCHEMA, JOB, 1, 57, "search", LogStream.STDOUT,
                "aegis-4f1c-search-3-a1-x7k2p/tool", "Searching", AT, 12L);

        EventLog.Entry entry = KafkaIngest.entry(record(Topics.JOB_LOG, 3, 9041, line), EVENT);

        // the very origin and position PodLogs appends the same line with
        PodLogLine followed = PodLogLines.line("aegis-4f1c-search-3-a1-x7k2p", "tool", 1, "search", 12, "Searching");
        assertThat(entry).isEqualTo(new EventLog.Entry(PodLogEvents.origin(followed.source()), followed.index(), EVENT,
                new EventLog.Seq(true, 1, 57)));
        assertThat(entry.origin()).isEqualTo("pod:aegis-4f1c-search-3-a1-x7k2p/tool");
    }

    @Test
    void aLineNotFromAPodAndEveryOtherEventIsKnownByItsPartitionAndOffset() {
        JobLogEvent line = new JobLogEvent(JobLogEvent.SCHEMA, JOB, 1, 58, "search", LogStream.STDOUT, "worker",
                "batch 2/4: 60 sequences, blastp", AT);
        JobProgressEvent progress = new JobProgressEvent(JobProgressEvent.SCHEMA, JOB, 1, 59, "search", null, 60, 120,
                JobStatus.RUNNING, "batch 2/4 done", null, null, false, "worker-1", AT);

        assertThat(KafkaIngest.entry(record(Topics.JOB_LOG, 3, 9042, line), EVENT))
                .isEqualTo(new EventLog.Entry(Topics.JOB_LOG + ":3", 9042, EVENT, new EventLog.Seq(true, 1, 58)));
        assertThat(KafkaIngest.entry(record(Topics.JOB_PROGRESS, 0, 17, progress), EVENT))
                .isEqualTo(new EventLog.Entry(Topics.JOB_PROGRESS + ":0", 17, EVENT, new EventLog.Seq(false, 1, 59)));
    }

    @Test
    void anArtifactEventCarriesNoWorkerSeq() {
        ArtifactStateEvent artifact = new ArtifactStateEvent(ArtifactStateEvent.SCHEMA, JOB, "alice", "hits.tsv",
                ArtifactState.READY, 10, "ab", AT);

        assertThat(KafkaIngest.entry(record(Topics.ARTIFACT_STATE, 1, 5, artifact), EVENT).seq()).isNull();
    }

    private static ConsumerRecord<String, Object> record(String topic, int partition, long offset, Object value) {
        return new ConsumerRecord<>(topic, partition, offset, JOB.toString(), value);
    }
}
