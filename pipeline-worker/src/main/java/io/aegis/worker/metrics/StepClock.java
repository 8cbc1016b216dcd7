package io.aegis.worker.metrics;

import io.aegis.events.JobProgressEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of one attempt as its progress events tell them, timed by the events' own clock: a step
 * runs from the event that starts it to the one that completes or fails it, or to the start of the
 * next step (a step the pipeline leaves without saying so), or to the attempt's outcome. Pure and
 * one per attempt, so the rules are tested without a registry.
 */
public final class StepClock {

    /**
     * A step that ended.
     *
     * @param outcome {@code completed}, {@code failed} or {@code cancelled}
     */
    public record Ended(String step, String outcome, Duration duration) {
    }

    private String step;
    private Instant since;

    /** The steps that {@code event} ends (none, one, or the running one and one the event both starts and ends). */
    public List<Ended> on(JobProgressEvent event) {
        if (event.heartbeat() || event.step() == null || event.at() == null) {
            return List.of();
        }
        List<Ended> ended = new ArrayList<>(2);
        boolean otherStep = !event.step().equals(step);
        if (event.stepStatus() == StepStatus.RUNNING) {
            if (otherStep) {
                close(event.at(), "completed", ended);
                step = event.step();
                since = event.at();
            }
        } else if (event.stepStatus() == StepStatus.COMPLETED || event.stepStatus() == StepStatus.FAILED) {
            if (otherStep) {
                close(event.at(), "completed", ended);
                step = event.step();
                since = event.at();
            }
            String outcome = event.stepStatus() == StepStatus.COMPLETED ? "completed"
                    : event.status() == JobStatus.CANCELLED ? "cancelled" : "failed";
            close(event.at(), outcome, ended);
        }
        return ended;
    }

    private void close(Instant at, String outcome, List<Ended> ended) {
        if (step != null) {
            ended.add(new Ended(step, outcome, at.isBefore(since) ? Duration.ZERO : Duration.between(since, at)));
        }
        step = null;
        since = null;
    }
}
