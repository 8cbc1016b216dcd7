package io.aegis.logstream.service;

import io.aegis.contracts.problem.ProblemException;
import io.aegis.contracts.redis.StreamTickets;
import io.aegis.events.EventJson;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** Redeems stream tickets the gateway issued ({@link StreamTickets}): each one once, atomically. */
@ApplicationScoped
public class Tickets {

    private final ReactiveValueCommands<String, String> values;

    public Tickets(ReactiveRedisDataSource redis) {
        this.values = redis.value(String.class);
    }

    /**
     * The user a ticket lets open this job's stream. The ticket is gone once presented, whatever the
     * outcome, so a ticket seen by anyone else is worthless.
     *
     * @param caller the user the gateway authenticated, if the request also carried a bearer token
     */
    public Uni<String> redeem(String ticket, UUID jobId, String caller) {
        if (!StreamTickets.isWellFormed(ticket)) {
            return Uni.createFrom().failure(invalid());
        }
        return values.getdel(StreamTickets.key(ticket)).map(json -> {
            if (json == null) {
                throw invalid();
            }
            StreamTickets.Grant grant = EventJson.decode(json, StreamTickets.Grant.class);
            return check(grant, jobId, caller, Instant.now());
        });
    }

    /** The rules for a ticket found in Redis; answers its user. */
    static String check(StreamTickets.Grant grant, UUID jobId, String caller, Instant now) {
        if (!grant.expiresAt().isAfter(now)) {
            throw invalid();
        }
        if (!grant.jobId().equals(jobId)) {
            throw new ProblemException(403, "TICKET_WRONG_JOB", "Ticket for another job",
                    "This stream ticket was issued for another job; ask for one for job " + jobId + ".");
        }
        if (caller != null && !caller.equals(grant.user())) {
            throw new ProblemException(403, "TICKET_WRONG_USER", "Ticket of another user",
                    "This stream ticket was issued to another user.");
        }
        return grant.user();
    }

    private static ProblemException invalid() {
        return new ProblemException(401, "TICKET_INVALID", "Invalid stream ticket",
                "The stream ticket is unknown, used or expired; tickets are single-use and short-lived. "
                        + "Ask for a new one: POST /api/v1/jobs/{id}/stream-ticket.");
    }
}
