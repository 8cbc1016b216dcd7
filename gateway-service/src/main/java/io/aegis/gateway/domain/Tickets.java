package io.aegis.gateway.domain;

import io.aegis.contracts.redis.StreamTickets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Stream tickets on the gateway's side of the {@link StreamTickets} contract: issuing one, and the
 * one request a ticket may open instead of a bearer token. log-stream-service redeems the ticket.
 */
public final class Tickets {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Pattern EVENTS = Pattern.compile(
            "/api/v1/jobs/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/events");

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

    /**
     * Whether a request may pass the gateway without a bearer token, its ticket to be checked by
     * log-stream-service: only {@code GET /api/v1/jobs/<uuid>/events} carrying a {@code ticket} and
     * no {@code Authorization} header. Nothing else is ever let through unauthenticated.
     *
     * @param path the normalized path, the one the router matches
     */
    public static boolean opensStreamWithTicket(String method, String path, String ticket, String authorization) {
        return "GET".equals(method) && authorization == null && ticket != null && path != null
                && EVENTS.matcher(path).matches();
    }

    private Tickets() {
    }
}
