package io.aegis.bench;

import io.aegis.events.JobLogEvent;
import io.aegis.events.JobProgressEvent;
import io.aegis.events.StepStatus;
import io.aegis.events.Steps;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the wall time of one job went, in seconds, from the times the worker put on its own events
 * (the bench and the stack share one clock). The parts add up to submit → outcome received:
 *
 * @param dispatch   submit → the worker's first event (gateway, job-service, outbox relay, Kafka, the worker taking it)
 * @param prepare    → search started (a free slot, validate, split, batch files written)
 * @param search     → search completed: every batch's {@code blastp}
 * @param batches    how many batches
 * @param batchSum   the batches' own times added up (each from the worker's "batch i/n:" line to its
 *                   "batch i/n done" event); below {@code search} one at a time, above it when batches overlap
 * @param merge      → merge completed (batch results concatenated into hits.tsv)
 * @param finish     → the outcome event (scratch removed)
 * @param delivery   → the outcome received by the bench through Kafka
 *
 * <p>A part whose events were not seen is {@code NaN}.
 */
record JobTimeline(double dispatch, double prepare, double search, int batches, double batchSum, double merge,
                   double finish, double delivery) {

    private static final Pattern BATCH_STARTED = Pattern.compile("batch (\\d+)/\\d+: .*");
    private static final Pattern BATCH_DONE = Pattern.compile("batch (\\d+)/\\d+ done");

    static JobTimeline of(Instant submitted, List<JobProgressEvent> progress, List<JobLogEvent> logs,
                          Instant outcomeReceived) {
        Instant accepted = progress.stream().map(JobProgressEvent::at).min(Instant::compareTo).orElse(null);
        Instant searchStarted = stepAt(progress, Steps.SEARCH, StepStatus.RUNNING);
        Instant searchCompleted = stepAt(progress, Steps.SEARCH, StepStatus.COMPLETED);
        Instant mergeCompleted = stepAt(progress, Steps.MERGE, StepStatus.COMPLETED);
        Instant outcome = progress.stream().filter(e -> e.status() != null && e.status().isTerminal())
                .map(JobProgressEvent::at).findFirst().orElse(null);

        Map<Integer, Instant> started = new HashMap<>();
        for (JobLogEvent log : logs) {
            Matcher m = BATCH_STARTED.matcher(log.line() == null ? "" : log.line());
            if ("worker".equals(log.source()) && m.matches()) {
                started.putIfAbsent(Integer.parseInt(m.group(1)), log.at());
            }
        }
        double batchSum = 0;
        int batches = 0;
        for (JobProgressEvent event : progress) {
            Matcher m = BATCH_DONE.matcher(event.message() == null ? "" : event.message());
            if (m.matches() && started.containsKey(Integer.parseInt(m.group(1)))) {
                batchSum += seconds(started.get(Integer.parseInt(m.group(1))), event.at());
                batches++;
            }
        }
        return new JobTimeline(seconds(submitted, accepted), seconds(accepted, searchStarted),
                seconds(searchStarted, searchCompleted), batches, batches == 0 ? Double.NaN : batchSum,
                seconds(searchCompleted, mergeCompleted), seconds(mergeCompleted, outcome),
                seconds(outcome, outcomeReceived));
    }

    /** Everything but the search: what running the job through Aegis adds around the BLAST processes. */
    double aroundSearch() {
        return dispatch + prepare + merge + finish + delivery;
    }

    private static Instant stepAt(List<JobProgressEvent> progress, String step, StepStatus status) {
        return progress.stream().filter(e -> step.equals(e.step()) && e.stepStatus() == status)
                .map(JobProgressEvent::at).findFirst().orElse(null);
    }

    private static double seconds(Instant from, Instant to) {
        return from == null || to == null ? Double.NaN : Duration.between(from, to).toNanos() / 1e9;
    }
}
