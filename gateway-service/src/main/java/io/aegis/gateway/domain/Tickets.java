package io.aegis.gateway.domain;

import io.aegis.events.StreamTickets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.random.RandomGenerator;

/** Stream tickets on the gateway's side of the {@link StreamTickets} contract; log-stream-service redeems them. */
public final class Tickets {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    /** A new ticket and what it grants; Redis keeps the grant under {@link #key()}, never the ticket. */
    public record Issued(String ticket, StreamTickets.Grant grant) {

        public String key() {
            return StreamTickets.key(ticket);
        }
    }

    /**
     * A ticket for {@code user} to open job {@code jobId}'s stream until {@code now + ttl}.
     *
     * @param random {@link java.security.SecureRandom} outside tests: the ticket is the whole secret
     */
    public static Issued issue(UUID jobId, String user, Instant now, Duration ttl, RandomGenerator random) {
        byte[] bytes = new byte[StreamTickets.BYTES];
        random.nextBytes(bytes);
        return new Issued(ENCODER.encodeToString(bytes), new StreamTickets.Grant(jobId, user, now.plus(ttl)));
    }

    private Tickets() {
    }
}
