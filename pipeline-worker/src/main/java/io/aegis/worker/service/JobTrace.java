package io.aegis.worker.service;

import io.aegis.events.JobRequestedEvent;
import io.aegis.events.JobStatus;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An attempt's spans in its job's trace: the attempt under the request that started it (the
 * consumed {@code aegis.job.requested} record, itself under the submit), a span per step under it,
 * and one per batch under the search step. The attempt's progress records are sent in its context,
 * so what job-service and the others do with them joins the same trace. With tracing off every
 * span is a no-op and the context still carries the request's trace onwards.
 */
public final class JobTrace {

    private static final Tracer NONE = OpenTelemetry.noop().getTracer("aegis");

    private final Tracer tracer;
    private final Span attempt;
    private final Context context;
    private final Map<String, Span> steps = new ConcurrentHashMap<>();
    private final AtomicBoolean ended = new AtomicBoolean();

    private JobTrace(Tracer tracer, Span attempt, Context context) {
        this.tracer = tracer;
        this.attempt = attempt;
        this.context = context;
    }

    /** The attempt's span, begun now under {@code parent}, the context its request was consumed in. */
    static JobTrace begin(Tracer tracer, Context parent, JobRequestedEvent job) {
        Span span = tracer.spanBuilder("run " + job.pipeline())
                .setParent(parent)
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute("aegis.job.id", job.jobId().toString())
                .setAttribute("aegis.job.attempt", job.attempt())
                .setAttribute("aegis.pipeline", job.pipeline())
                .setAttribute("aegis.sequences", job.sequenceCount())
                .startSpan();
        return new JobTrace(tracer, span, parent.with(span));
    }

    /** An attempt traced nowhere (the tests' reporters). */
    static JobTrace none() {
        return new JobTrace(NONE, Span.getInvalid(), Context.root());
    }

    /** The attempt's context: what its progress records are sent in. */
    public Context context() {
        return context;
    }

    void stepStarted(String key) {
        steps.computeIfAbsent(key, k -> tracer.spanBuilder("step " + k).setParent(context)
                .setAttribute("aegis.step", k).startSpan());
    }

    void stepEnded(String key) {
        Span step = steps.remove(key);
        if (step != null) {
            step.end();
        }
    }

    /** A span for searching batch {@code index} (from 0) of {@code count}, under the search step when it runs. */
    Span batch(String stepKey, int index, int count, int sequences) {
        Span step = steps.get(stepKey);
        return tracer.spanBuilder("batch " + (index + 1) + "/" + count)
                .setParent(step != null ? context.with(step) : context)
                .setAttribute("aegis.batch.index", index)
                .setAttribute("aegis.batch.sequences", sequences)
                .startSpan();
    }

    /** Ends the attempt with its outcome; a step still open ends with it, failed unless the job succeeded. */
    void end(JobStatus outcome, String error) {
        if (ended.getAndSet(true)) {
            return;
        }
        boolean ok = outcome == JobStatus.SUCCEEDED;
        steps.forEach((key, span) -> {
            if (!ok) {
                span.setStatus(StatusCode.ERROR, outcome.name());
            }
            span.end();
        });
        steps.clear();
        attempt.setAttribute("aegis.job.outcome", outcome.name());
        if (outcome == JobStatus.FAILED) {
            attempt.setStatus(StatusCode.ERROR, error == null ? "failed" : error);
        }
        attempt.end();
    }
}
