package io.aegis.web;

import io.aegis.events.EventJson;
import io.aegis.events.Problem;
import io.vertx.core.http.HttpServerResponse;

/** A problem answered from a Vert.x route or filter, where no exception mapper runs. */
public final class RouteProblems {

    private RouteProblems() {
    }

    public static void send(HttpServerResponse response, Problem problem) {
        response.setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(EventJson.encodeToString(problem));
    }
}
