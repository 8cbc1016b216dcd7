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
 * Bearer tokens: JWTs signed with HS256 ({@code {"alg":"HS256","typ":"JWT"}}, claims {@code sub}
 * and {@code exp}). {@code ./aegis token <user>} makes the same tokens with openssl.
 */
public final class Tokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final String HEADER = ENCODER.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

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
        if (token == null) {
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
            byte[] signature = DECODER.decode(parts[2]);
            if (!MessageDigest.isEqual(signature, sign(parts[0] + "." + parts[1]))) {
                return Optional.empty();
            }
            JsonNode claims = JSON.readTree(DECODER.decode(parts[1]));
            String user = claims.path("sub").asText(null);
            long exp = claims.path("exp").asLong(0);
            if (user == null || exp <= now.getEpochSecond() || !users.contains(user)) {
                return Optional.empty();
            }
            return Optional.of(user);
        } catch (IllegalArgumentException | java.io.IOException e) {
            return Optional.empty();
        }
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
