package io.aegis.job.domain;

import java.util.List;

/**
 * A job's earlier attempts as stored in its {@code attempts} JSON column, oldest first (wrapped in an
 * object, as {@link ExecutionSteps} is).
 */
public record EarlierAttempts(List<EarlierAttempt> attempts) {

    public EarlierAttempts {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }
}
