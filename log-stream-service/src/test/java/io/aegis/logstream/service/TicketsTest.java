package io.aegis.logstream.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.contracts.problem.ProblemException;
import io.aegis.contracts.redis.StreamTickets.Grant;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TicketsTest {

    private static final UUID JOB = UUID.randomUUID();
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Grant GRANT = new Grant(JOB, "alice", NOW.plusSeconds(60));

    @Test
    void aValidTicketOpensItsJobForItsOwner() {
        assertThat(Tickets.check(GRANT, JOB, null, NOW)).isEqualTo("alice");
        assertThat(Tickets.check(GRANT, JOB, "alice", NOW)).isEqualTo("alice");
    }

    @Test
    void anExpiredTicketIsUnauthenticated() {
        assertThatThrownBy(() -> Tickets.check(GRANT, JOB, null, NOW.plusSeconds(60)))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(401);
                    assertThat(e.problem().code()).isEqualTo("TICKET_INVALID");
                });
    }

    @Test
    void anotherJobOrAnotherUserIsForbidden() {
        assertThatThrownBy(() -> Tickets.check(GRANT, UUID.randomUUID(), null, NOW))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().code()).isEqualTo("TICKET_WRONG_JOB"));
        assertThatThrownBy(() -> Tickets.check(GRANT, JOB, "bob", NOW))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(403);
                    assertThat(e.problem().code()).isEqualTo("TICKET_WRONG_USER");
                });
    }
}
