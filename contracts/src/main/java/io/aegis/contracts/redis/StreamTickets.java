package io.aegis.contracts.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Stream tickets: how a browser opens a job's event stream without putting a long-lived token in a
 * URL. The gateway issues a ticket to the job's owner; log-stream-service redeems it once. Both keep
 * to this contract: a ticket is stored in Redis under {@link #key(String)}, never in the clear,
 * holding a {@link Grant} as JSON, and expires with the grant.
 */
public final class StreamTickets {

    /** Random bytes in a ticket: 256 bits, written as 43 characters of unpadded base64url. */
    public static final int BYTES = 32;

    /** What a ticket allows: to open one job's stream, once, as its owner, until it expires. */
    public record Grant(UUID jobId, String user, Instant expiresAt) {
    }

    /** The Redis key of a ticket: a digest, so a look at Redis never yields a usable ticket. */
    public static String key(String ticket) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.UTF_8));
            return "aegis:ticket:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** True for a string shaped like a ticket, checked before Redis is asked. */
    public static boolean isWellFormed(String ticket) {
        return ticket != null && ticket.length() == 43 && ticket.chars().allMatch(c ->
                c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_');
    }

    private StreamTickets() {
    }
}
