package io.aegis.worker.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.events.JobRequestedEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.Steps;
import io.aegis.web.tracing.TraceParents;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An attempt's spans: under the request, a span per step, the batches under the search step. */
class JobTraceTest {

    private static final String REQUEST = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final UUID JOB = UUID.fromString("4f1c7c1e-7d0a-4f43-9d7e-2d1f0b6a9c11");

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();

    @AfterEach
    void close() {
        provider.close();
    }

    private JobTrace begin() {
        return JobTrace.begin(provider.get("test"), TraceParents.parent(REQUEST), new JobRequestedEvent(
                JobRequestedEvent.SCHEMA, JOB, "alice", "blast", "demo", Map.of("program", "blastp"), "jobs/x/input.fasta",
                3, 2, Instant.now()));
    }

    @Test
    void theAttemptIsUnderItsRequestItsStepsUnderItAndTheBatchesUnderTheSearchStep() {
        JobTrace trace = begin();
        trace.stepStarted(Steps.VALIDATE);
        trace.stepEnded(Steps.VALIDATE);
        trace.stepStarted(Steps.SEARCH);
        Span batch = trace.batch(Steps.SEARCH, 1, 4, 25);
        batch.end();
        trace.stepEnded(Steps.SEARCH);
        trace.end(JobStatus.SUCCEEDED, null);

        SpanData attempt = named("run blast");
        assertThat(attempt.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(attempt.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(attempt.getAttributes().get(AttributeKey.stringKey("aegis.job.id"))).isEqualTo(JOB.toString());
        assertThat(named("step validate").getParentSpanId()).isEqualTo(attempt.getSpanId());
        SpanData search = named("step search");
        assertThat(search.getParentSpanId()).isEqualTo(attempt.getSpanId());
        assertThat(named("batch 2/4").getParentSpanId()).isEqualTo(search.getSpanId());
        assertThat(exporter.getFinishedSpanItems()).allSatisfy(span -> {
            assertThat(span.getTraceId()).isEqualTo(attempt.getTraceId());
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        });
        assertThat(TraceParents.of(trace.context())).as("what its progress is sent in: the attempt")
                .contains(attempt.getSpanId());
    }

    @Test
    void aFailedAttemptEndsItsOpenStepFailedAndOnlyOnce() {
        JobTrace trace = begin();
        trace.stepStarted(Steps.SEARCH);
        trace.end(JobStatus.FAILED, "TOOL_FAILED");
        trace.end(JobStatus.CANCELLED, null);

        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertThat(spans).hasSize(2);
        assertThat(named("step search").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(named("run blast").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(named("run blast").getStatus().getDescription()).isEqualTo("TOOL_FAILED");
    }

    @Test
    void withoutARequestTraceTheAttemptStartsOneAndTracedNowhereItCostsNothing() {
        JobTrace trace = JobTrace.begin(provider.get("test"), Context.root(), new JobRequestedEvent(
                JobRequestedEvent.SCHEMA, JOB, "alice", "blast", "demo", Map.of(), "jobs/x/input.fasta", 3, 1,
                Instant.now()));
        trace.end(JobStatus.SUCCEEDED, null);
        assertThat(named("run blast").getParentSpanId()).isEqualTo("0000000000000000");

        JobTrace none = JobTrace.none();
        none.stepStarted(Steps.SEARCH);
        none.batch(Steps.SEARCH, 0, 1, 1).end();
        none.end(JobStatus.SUCCEEDED, null);
        assertThat(TraceParents.of(none.context())).isNull();
        assertThat(exporter.getFinishedSpanItems()).hasSize(1);
    }

    private SpanData named(String name) {
        return exporter.getFinishedSpanItems().stream().filter(span -> span.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + exporter.getFinishedSpanItems()));
    }
}
