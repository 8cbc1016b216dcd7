package io.aegis.web;

import io.aegis.contracts.problem.Problem;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.events.EventJson;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpServerResponse;
import java.util.Optional;

/** A problem answered from a Vert.x route or filter, where no exception mapper runs. */
public final class RouteProblems {

    private RouteProblems() {
    }

    public static void send(HttpServerResponse response, Problem problem) {
        response.setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(EventJson.encodeToString(problem));
    }

    /**
     * Sends the refusal's problem, with {@code Retry-After} when it tells the client when to try again
     * (as {@code ProblemMapper} answers a {@link ProblemException} thrown from a resource).
     */
    public static void send(HttpServerResponse response, ProblemException refusal) {
        refusal.retryAfterSeconds().ifPresent(seconds -> response.putHeader("Retry-After", Long.toString(seconds)));
        send(response, refusal.problem());
    }

    /**
     * Sends the problem unless the response is already under way or the client has gone. For a route
     * whose failure may come late (after a database read, or once a file was being sent): the answer
     * is given once, and a head already written is never written again.
     */
    public static void sendUnlessAnswered(HttpServerResponse response, Problem problem) {
        if (unanswered(response)) {
            send(response, problem);
        }
    }

    /**
     * Sends the refusal's problem (with its {@code Retry-After}) unless the response is already under
     * way or the client has gone.
     */
    public static void sendUnlessAnswered(HttpServerResponse response, ProblemException refusal) {
        if (unanswered(response)) {
            send(response, refusal);
        }
    }

    /**
     * A route's failure answered as a resource's would be: a refusal as it is, a dependency outage as
     * {@code 503} with {@code Retry-After} ({@link DependencyOutage}), anything else as {@code 500}
     * {@code INTERNAL_ERROR}, logged as {@code what} failed. A response already under way is reset: the
     * client sees a cut, never a body quietly short.
     */
    public static void failed(HttpServerResponse response, String what, Throwable failure) {
        if (failure instanceof ProblemException refusal) {
            sendUnlessAnswered(response, refusal);
            return;
        }
        Optional<Throwable> outage = DependencyOutage.shownBy(failure);
        if (outage.isPresent()) {
            Log.warnf("%s answered 503, a dependency is unavailable: %s", what, DependencyOutage.summary(outage.get()));
        } else {
            Log.errorf(failure, "%s failed", what);
        }
        if (response.headWritten()) {
            if (!response.closed()) {
                response.reset();
            }
        } else if (outage.isPresent()) {
            sendUnlessAnswered(response, DependencyOutage.refusal());
        } else {
            sendUnlessAnswered(response, Problem.of(500, "INTERNAL_ERROR", "Internal error",
                    "The request could not be completed."));
        }
    }

    private static boolean unanswered(HttpServerResponse response) {
        return !response.closed() && !response.headWritten();
    }
}
