package io.aegis.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.contracts.redis.StreamTickets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TicketsTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final UUID JOB = UUID.fromString("0b9c6f4e-7f1a-4c2e-9d3b-5a6e7f809102");
    private static final String EVENTS = "/api/v1/jobs/" + JOB + "/events";

    @Test
    void aTicketIs256RandomBitsInUnpaddedBase64UrlGrantingItsJobToItsUserUntilItsTtlEnds() {
        Tickets.Issued issued = Tickets.issue(JOB, "alice", NOW, Duration.ofSeconds(60), new SecureRandom());
        assertThat(issued.ticket()).hasSize(43).matches("[A-Za-z0-9_-]{43}");
        assertThat(StreamTickets.isWellFormed(issued.ticket())).isTrue();
        assertThat(java.util.Base64.getUrlDecoder().decode(issued.ticket())).hasSize(StreamTickets.BYTES);
        assertThat(issued.grant()).isEqualTo(new StreamTickets.Grant(JOB, "alice", NOW.plusSeconds(60)));
        assertThat(issued.key()).isEqualTo(StreamTickets.key(issued.ticket())).doesNotContain(issued.ticket());
    }

    @Test
    void everyTicketIsNew() {
        Random random = new Random(7);
        assertThat(Tickets.issue(JOB, "alice", NOW, Duration.ofSeconds(60), random).ticket())
                .isNotEqualTo(Tickets.issue(JOB, "alice", NOW, Duration.ofSeconds(60), random).ticket());
    }

    @Test
    void aTicketStandsInForABearerTokenOnlyToGetAJobsEventStream() {
        assertThat(Tickets.opensStreamWithTicket("GET", EVENTS, "t", null)).isTrue();
        assertThat(Tickets.opensStreamWithTicket("GET", "/api/v1/jobs/" + JOB.toString().toUpperCase() + "/events", "t", null))
                .as("a UUID in capitals is still one").isTrue();
    }

    @Test
    void everythingElseNeedsABearerToken() {
        assertThat(Tickets.opensStreamWithTicket("GET", EVENTS, null, null)).as("no ticket").isFalse();
        assertThat(Tickets.opensStreamWithTicket("GET", EVENTS, "t", "Bearer x")).as("a bearer token is checked").isFalse();
        assertThat(Tickets.opensStreamWithTicket("GET", EVENTS, "t", "")).as("an empty Authorization header too").isFalse();
        for (String method : new String[] {"POST", "PUT", "DELETE", "HEAD", "OPTIONS", "get"}) {
            assertThat(Tickets.opensStreamWithTicket(method, EVENTS, "t", null)).as(method).isFalse();
        }
        for (String path : new String[] {
                "/api/v1/jobs/" + JOB, "/api/v1/jobs/" + JOB + "/stream-ticket", "/api/v1/jobs/" + JOB + "/artifacts",
                "/api/v1/jobs/" + JOB + "/artifacts/events", "/api/v1/jobs/" + JOB + "/events/", EVENTS + "/x",
                EVENTS + "x", "/api/v1/jobs/j1/events", "/api/v1/jobs/" + JOB + "0/events", "/x" + EVENTS,
                "/api/v2/jobs/" + JOB + "/events", "/api/v1/databases", "/api/v1/jobs", ""}) {
            assertThat(Tickets.opensStreamWithTicket("GET", path, "t", null)).as(path).isFalse();
        }
        assertThat(Tickets.opensStreamWithTicket("GET", null, "t", null)).isFalse();
    }
}
