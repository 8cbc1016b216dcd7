package io.aegis.job.domain;

import java.util.List;

/**
 * A job's steps as stored in its {@code steps} JSON column. The list is wrapped in an object
 * because the reactive PostgreSQL driver reads a {@code jsonb} column as a JSON object.
 */
public record ExecutionSteps(List<StepState> steps) {

    public ExecutionSteps {
        steps = List.copyOf(steps);
    }
}
