package io.aegis.events;

/** Thrown where a request cannot be served; each service maps it to its {@link Problem} response. */
public class ProblemException extends RuntimeException {

    private final Problem problem;

    public ProblemException(Problem problem) {
        super(problem.code() + ": " + problem.detail());
        this.problem = problem;
    }

    public ProblemException(int status, String code, String title, String detail) {
        this(Problem.of(status, code, title, detail));
    }

    public Problem problem() {
        return problem;
    }
}
