package io.aegis.web.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A trace's place, kept as text where work waits between processes or transactions: a W3C
 * {@code traceparent} ({@code 00-<trace id>-<span id>-<flags>}). A job remembers the one its submit
 * ran in, an outbox row the one that wrote it, a finalization the state that started it, so the work
 * done later for the job, by another thread, replica or service, joins the job's trace. With
 * tracing off there is no current span and nothing is kept; a kept one is still passed on.
 */
public final class TraceParents {

    public static final String HEADER = "traceparent";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private TraceParents() {
    }

    /** The {@code traceparent} of the current span, or null when there is none (tracing off, or no trace here). */
    public static String current() {
        return of(Context.current());
    }

    /** The current span's {@code traceparent}, or {@code otherwise} (which may be null) when there is none. */
    public static String currentOr(String otherwise) {
        String current = current();
        return current != null ? current : otherwise;
    }

    /** The {@code traceparent} of {@code context}'s span, or null when it has no valid one. */
    public static String of(Context context) {
        SpanContext span = Span.fromContext(context).getSpanContext();
        if (!span.isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(2);
        W3C.inject(context, carrier, Map::put);
        return carrier.get(HEADER);
    }

    /**
     * The context a kept {@code traceparent} names, to start a span under; the root context (a new
     * trace) when it is null or not a valid {@code traceparent}.
     */
    public static Context parent(String traceParent) {
        if (traceParent == null || traceParent.isBlank()) {
            return Context.root();
        }
        return W3C.extract(Context.root(), Map.of(HEADER, traceParent), MAP);
    }

    /** Writes {@code context}'s trace headers ({@code traceparent}, {@code tracestate} if any) with {@code header}. */
    public static void inject(Context context, BiConsumer<String, String> header) {
        W3C.inject(context, header, (carrier, name, value) -> carrier.accept(name, value));
    }
}
