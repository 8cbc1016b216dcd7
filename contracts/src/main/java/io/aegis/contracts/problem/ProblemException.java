package io.aegis.contracts.problem;

import java.time.Duration;
import java.util.Optional;

/** Thrown where a request cannot be served; each service maps it to its {@link Problem} response. */
public class ProblemException extends RuntimeException {

    private final Problem problem;
    private final Duration retryAfter;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    private ProblemException(Problem problem, Duration retryAfter) {
        super(problem.code() + ": " + problem.detail());
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public ProblemException(int status, String code, String title, String detail) {
        this(Problem.of(status, code, title, detail));
    }

    public Problem problem() {
        return problem;
    }

    /** The same refusal, telling the client when to try again ({@code Retry-After}, whole seconds, at least 1). */
    public ProblemException retryAfter(Duration wait) {
        return new ProblemException(problem, wait);
    }

    /** The seconds a client should wait before trying again, when it should try again at all. */
    public Optional<Long> retryAfterSeconds() {
        return Optional.ofNullable(retryAfter).map(wait -> Math.max(1, (wait.toMillis() + 999) / 1000));
    }
}
