package io.aegis.web.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceParentsTest {

    private static final String KEPT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aKeptTraceParentNamesItsTraceAndSpanAndReadsBackTheSame() {
        Context parent = TraceParents.parent(KEPT);

        SpanContext span = Span.fromContext(parent).getSpanContext();
        assertThat(span.isValid()).isTrue();
        assertThat(span.isRemote()).isTrue();
        assertThat(span.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(span.getSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(span.isSampled()).isTrue();
        assertThat(TraceParents.of(parent)).isEqualTo(KEPT);
    }

    @Test
    void nothingKeptOrSomethingUnreadableStartsANewTrace() {
        assertThat(TraceParents.parent(null)).isSameAs(Context.root());
        assertThat(TraceParents.parent(" ")).isSameAs(Context.root());
        assertThat(Span.fromContext(TraceParents.parent("00-not-a-trace-01")).getSpanContext().isValid()).isFalse();
        assertThat(Span.fromContext(TraceParents.parent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"))
                .getSpanContext().isValid()).as("an all-zero trace id is invalid").isFalse();
    }

    @Test
    void withoutACurrentSpanNothingIsKeptAndTheFallbackIsUsed() {
        assertThat(TraceParents.current()).isNull();
        assertThat(TraceParents.currentOr(KEPT)).isEqualTo(KEPT);
        assertThat(TraceParents.currentOr(null)).isNull();
    }

    @Test
    void theCurrentSpanIsKeptBeforeAnyFallback() {
        try (Scope ignored = TraceParents.parent(KEPT).makeCurrent()) {
            assertThat(TraceParents.current()).isEqualTo(KEPT);
            assertThat(TraceParents.currentOr("00-11111111111111111111111111111111-2222222222222222-01")).isEqualTo(KEPT);
        }
        assertThat(TraceParents.current()).isNull();
    }

    @Test
    void injectWritesTheTraceParentHeader() {
        Map<String, String> headers = new LinkedHashMap<>();
        TraceParents.inject(TraceParents.parent(KEPT), headers::put);
        assertThat(headers).containsExactly(Map.entry("traceparent", KEPT));

        Map<String, String> none = new LinkedHashMap<>();
        TraceParents.inject(Context.root(), none::put);
        assertThat(none).isEmpty();
    }
}
