package io.aegis.gateway.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Bearer tokens: JWTs signed with HS256 ({@code {"alg":"HS256","typ":"JWT"}}, claims {@code sub},
 * {@code iat} and {@code exp}). {@code ./aegis token <user>} makes the same tokens with openssl.
 *
 * <p>A token is taken only in its one canonical form (unpadded base64url: a signature with a trailing
 * {@code =} or other unused bits is refused, not decoded to the same bytes), for at most
 * {@link #MAX_LIFETIME} from its issue, and not before it was issued (give or take {@link #CLOCK_SKEW}).
 */
public final class Tokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final String HEADER = ENCODER.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    /** The longest a token may be valid, from {@code iat} to {@code exp}. */
    public static final Duration MAX_LIFETIME = Duration.ofHours(12);
    /** How far the issuer's clock may run ahead of ours. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    /** Longer is not a token of ours, and is not read. */
    public static final int MAX_LENGTH = 4096;

    private final byte[] secret;
    private final Set<String> users;

    public Tokens(String secret, Set<String> users) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("The token secret must have at least 16 characters");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.users = Set.copyOf(users);
    }

    public String issue(String user, Duration ttl, Instant now) {
        String payload = ENCODER.encodeToString(("{\"sub\":" + quote(user) + ",\"iat\":" + now.getEpochSecond()
                + ",\"exp\":" + now.plus(ttl).getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8));
        return HEADER + "." + payload + "." + ENCODER.encodeToString(sign(HEADER + "." + payload));
    }

    /** The user a token speaks for, or empty when it is malformed, forged, expired or not ours. */
    public Optional<String> verify(String token, Instant now) {
        if (token == null || token.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode header = JSON.readTree(DECODER.decode(parts[0]));
            if (!"HS256".equals(header.path("alg").asText())) {
                return Optional.empty();
            }
            // compared as text: only the canonical encoding of the right signature matches
            byte[] expected = ENCODER.encodeToString(sign(parts[0] + "." + parts[1])).getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(parts[2].getBytes(StandardCharsets.US_ASCII), expected)) {
                return Optional.empty();
            }
            JsonNode claims = JSON.readTree(DECODER.decode(parts[1]));
            String user = claims.path("sub").asText(null);
            JsonNode iat = claims.path("iat");
            JsonNode exp = claims.path("exp");
            if (user == null || !users.contains(user) || !epochSeconds(iat) || !epochSeconds(exp)) {
                return Optional.empty();
            }
            return valid(iat.asLong(), exp.asLong(), now) ? Optional.of(user) : Optional.empty();
        } catch (IllegalArgumentException | java.io.IOException e) {
            return Optional.empty();
        }
    }

    /** Whether a claim is a time as a JWT gives it: a whole number of seconds that fits a long. */
    private static boolean epochSeconds(JsonNode claim) {
        return claim.isIntegralNumber() && claim.canConvertToLong();
    }

    /** Whether a token issued at {@code iat} and expiring at {@code exp} (epoch seconds) holds at {@code now}. */
    static boolean valid(long iat, long exp, Instant now) {
        long at = now.getEpochSecond();
        return exp > at && iat <= at + CLOCK_SKEW.toSeconds() && exp > iat && exp - iat <= MAX_LIFETIME.toSeconds();
    }

    private byte[] sign(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
