package io.aegis.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    private static final UUID JOB = UUID.fromString("4f1c7c1e-7d0a-4f43-9d7e-2d1f0b6a9c11");
    private static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");

    @Test
    void everyEventSurvivesARoundTrip() {
        Object[] events = {
            new JobRequestedEvent(JobRequestedEvent.SCHEMA, JOB, "alice", "blast", "demo",
                    Map.of("program", "blastp", "evalue", 1e-5), StoreLayout.inputRef(JOB), 120, 1, AT),
            new JobControlEvent(JobControlEvent.SCHEMA, JOB, JobControlEvent.Action.CANCEL, 1, "user", AT),
            new JobProgressEvent(JobProgressEvent.SCHEMA, JOB, 1, 7, Steps.SEARCH, StepStatus.RUNNING,
                    37, 120, JobStatus.RUNNING, "batch 2/4", null, null, false, "worker-1", AT),
            new JobLogEvent(JobLogEvent.SCHEMA, JOB, 1, 8, Steps.SEARCH, LogStream.STDERR, "blastp", "Warning: x", AT),
            new JobLogEvent(JobLogEvent.SCHEMA, JOB, 1, 9, Steps.SEARCH, LogStream.STDOUT,
                    "aegis-4f1c-search-3-a1-x7k2p/tool", "Searching", AT, 41L),
            new JobStateEvent(JobStateEvent.SCHEMA, JOB, "alice", JobStatus.FAILED, Steps.SEARCH, 37, 120,
                    "blastp exited with 2", "TOOL_FAILED", 1, 9, null, AT),
            new JobDeletedEvent(JobDeletedEvent.SCHEMA, JOB, "alice", "retention", AT),
            new ArtifactStateEvent(ArtifactStateEvent.SCHEMA, JOB, "alice", "hits.tsv", ArtifactState.READY,
                    1234, "ab".repeat(32), AT),
        };
        for (Object event : events) {
            assertThat(EventJson.decode(EventJson.encode(event), event.getClass())).isEqualTo(event);
        }
    }

    @Test
    void wireFormIsLowerCaseForStepsStreamsAndArtifactsAndIsoForTimes() {
        String json = EventJson.encodeToString(new JobLogEvent(JobLogEvent.SCHEMA, JOB, 1, 1, Steps.SEARCH,
                LogStream.STDOUT, "blastp", "line", AT));
        assertThat(json).contains("\"stream\":\"stdout\"").contains("\"at\":\"2026-01-02T03:04:05.678Z\"");
        assertThat(EventJson.encodeToString(ArtifactState.PENDING)).isEqualTo("\"pending\"");
        assertThat(EventJson.encodeToString(StepStatus.COMPLETED)).isEqualTo("\"completed\"");
    }

    @Test
    void readersIgnoreFieldsTheyDoNotKnowAndNullsAreLeftOut() {
        String newer = "{\"schema\":2,\"jobId\":\"" + JOB + "\",\"action\":\"CANCEL\",\"attempt\":3,"
                + "\"requestedBy\":\"bob\",\"at\":\"2026-01-02T03:04:05.678Z\"}";
        JobControlEvent event = EventJson.decode(newer, JobControlEvent.class);
        assertThat(event.attempt()).isEqualTo(3);
        assertThat(event.reason()).isNull();
        assertThat(EventJson.encodeToString(event)).doesNotContain("reason");
    }

    @Test
    void aLogLineCarriesItsIndexInItsPodsLogOnlyWhenItHasOne() {
        String fromPod = EventJson.encodeToString(new JobLogEvent(JobLogEvent.SCHEMA, JOB, 1, 9, Steps.SEARCH,
                LogStream.STDOUT, "aegis-4f1c-search-3-a1-x7k2p/tool", "Searching", AT, 41L));
        assertThat(fromPod).contains("\"sourceLine\":41");
        String fromWorker = EventJson.encodeToString(new JobLogEvent(JobLogEvent.SCHEMA, JOB, 1, 10, Steps.SEARCH,
                LogStream.STDOUT, "worker", "batch 1/2", AT));
        assertThat(fromWorker).doesNotContain("sourceLine");
        // a line from a producer that predates the field reads as one that is not from a pod
        String older = "{\"schema\":1,\"jobId\":\"" + JOB + "\",\"attempt\":1,\"seq\":3,\"step\":\"search\","
                + "\"stream\":\"stderr\",\"source\":\"blastp\",\"line\":\"x\",\"at\":\"2026-01-02T03:04:05.678Z\"}";
        assertThat(EventJson.decode(older, JobLogEvent.class)).isEqualTo(new JobLogEvent(JobLogEvent.SCHEMA, JOB, 1, 3,
                Steps.SEARCH, LogStream.STDERR, "blastp", "x", AT));
    }

    @Test
    void anEndTellsHowFarTheWorkersEventsWentOnlyWhenItKnows() {
        JobStateEvent reported = new JobStateEvent(JobStateEvent.SCHEMA, JOB, "alice", JobStatus.SUCCEEDED,
                Steps.FINALIZE, 120, 120, null, null, 1, 7, null, AT, 44L, 57L);
        assertThat(EventJson.encodeToString(reported)).contains("\"lastLogSeq\":44").contains("\"lastProgressSeq\":57");
        assertThat(EventJson.decode(EventJson.encode(reported), JobStateEvent.class)).isEqualTo(reported);
        JobProgressEvent outcome = new JobProgressEvent(JobProgressEvent.SCHEMA, JOB, 1, 57, Steps.FINALIZE,
                StepStatus.COMPLETED, 120, 120, JobStatus.SUCCEEDED, null, null, null, false, "worker-1", AT, 44L);
        assertThat(EventJson.decode(EventJson.encode(outcome), JobProgressEvent.class)).isEqualTo(outcome);
        // a state from a producer that predates the fields reads as one that does not say, and says nothing of them
        String older = "{\"schema\":1,\"jobId\":\"" + JOB + "\",\"owner\":\"alice\",\"status\":\"SUCCEEDED\","
                + "\"done\":1,\"total\":1,\"attempt\":1,\"version\":3,\"at\":\"2026-01-02T03:04:05.678Z\"}";
        JobStateEvent old = EventJson.decode(older, JobStateEvent.class);
        assertThat(old.lastLogSeq()).isNull();
        assertThat(old.lastProgressSeq()).isNull();
        assertThat(EventJson.encodeToString(old)).doesNotContain("lastLogSeq").doesNotContain("lastProgressSeq");
    }

    @Test
    void garbageIsRejectedWithTheTypeNamed() {
        assertThatThrownBy(() -> EventJson.decode("{not json", JobStateEvent.class))
                .hasMessageContaining("JobStateEvent");
    }

    @Test
    void storeReferencesCannotLeaveTheStore() {
        StoreLayout store = new StoreLayout(java.nio.file.Path.of("/srv/aegis"));
        assertThat(store.resolve(StoreLayout.inputRef(JOB))).isEqualTo(store.input(JOB));
        assertThatThrownBy(() -> store.resolve("jobs/../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cloudEventTypesFollowTheTopicNames() {
        assertThat(Topics.cloudEventType(Topics.JOB_STATE)).isEqualTo("io.aegis.job.state");
        assertThat(Topics.ALL).hasSize(8).doesNotHaveDuplicates().allMatch(topic -> topic.startsWith("aegis."));
    }
}
