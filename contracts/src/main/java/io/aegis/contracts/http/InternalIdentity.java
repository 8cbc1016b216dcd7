package io.aegis.contracts.http;

import io.aegis.contracts.problem.ProblemException;
import io.aegis.events.ControlCharacters;
import io.aegis.events.EventJson;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The caller one Aegis service vouches for when it calls another: the gateway for the user whose
 * bearer token it checked, artifact-service and log-stream-service for the owner of the job they
 * work on. It travels in {@link AegisHeaders#IDENTITY}, signed with the internal key
 * (HMAC-SHA256) and good for {@link #LIFETIME}. Every service behind the gateway checks it on
 * every API request, so a request that reaches an internal port some other way names nobody,
 * whatever headers it carries.
 *
 * <p>Its form is {@code v1.<claims>.<signature>}, both base64url without padding; the claims are
 * JSON {@code {"iss","sub","adm","iat","exp"}}, times in seconds. {@code sub} is left out when the
 * gateway passes a request on without a user (an event stream opened with a stream ticket, the
 * list of pipelines). Only the canonical form is taken: one identity has one spelling.
 */
public final class InternalIdentity {

    /** How long a signed identity is good for: one request, with room for a slow upload to start. */
    public static final Duration LIFETIME = Duration.ofSeconds(60);
    /** How far the clocks of two services may disagree. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    /** The shortest internal key taken, in bytes: as many as the HMAC's output. */
    public static final int MIN_KEY_BYTES = 32;
    /** The key of tests and dev mode, never taken by a service in production (see the services' config). */
    public static final String DEV_KEY = "aegis-dev-internal-key-not-for-production";

    static final int MAX_LENGTH = 2048;
    private static final String VERSION = "v1";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /**
     * Who is calling.
     *
     * @param issuer the service that signed (for logs and audits)
     * @param user   the user the request acts for; empty when the gateway passes it on for nobody
     * @param admin  whether that user administers Aegis
     */
    public record Caller(String issuer, Optional<String> user, boolean admin) {

        public Caller {
            if (admin && user.isEmpty()) {
                throw new IllegalArgumentException("Only a user can be an administrator");
            }
        }

        public static Caller user(String issuer, String user, boolean admin) {
            return new Caller(issuer, Optional.of(user), admin);
        }

        public static Caller nobody(String issuer) {
            return new Caller(issuer, Optional.empty(), false);
        }
    }

    /** As signed; {@code sub} left out (null) for nobody. */
    record Claims(String iss, String sub, boolean adm, long iat, long exp) {
    }

    private InternalIdentity() {
    }

    /** The key from its configured text; refused when too short to be one. */
    public static byte[] key(String configured) {
        byte[] key = configured == null ? new byte[0] : configured.getBytes(StandardCharsets.UTF_8);
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("The internal key must have at least " + MIN_KEY_BYTES
                    + " bytes (e.g. openssl rand -hex 32)");
        }
        return key;
    }

    /** The caller, signed at {@code now} for {@link #LIFETIME}. */
    public static String sign(Caller caller, byte[] key, Instant now) {
        long issued = now.getEpochSecond();
        Claims claims = new Claims(caller.issuer(), caller.user().orElse(null), caller.admin(), issued,
                issued + LIFETIME.toSeconds());
        String signed = VERSION + "." + ENCODER.encodeToString(EventJson.encode(claims));
        return signed + "." + ENCODER.encodeToString(mac(key, signed));
    }

    /**
     * The caller a header vouches for.
     *
     * @throws ProblemException 401 {@code UNAUTHENTICATED} when the header is missing, malformed, not
     *                          signed with {@code key}, not yet valid, expired or valid for too long
     */
    public static Caller verify(String header, byte[] key, Instant now) {
        if (header == null || header.isEmpty()) {
            throw refused("No internal identity: this service takes requests from the other Aegis services only.");
        }
        if (header.length() > MAX_LENGTH) {
            throw refused("The internal identity is too long.");
        }
        int first = header.indexOf('.');
        int last = header.lastIndexOf('.');
        if (first < 0 || first == last || !header.substring(0, first).equals(VERSION)) {
            throw refused("The internal identity is malformed.");
        }
        byte[] signature = canonical(header.substring(last + 1));
        if (signature == null || !MessageDigest.isEqual(signature, mac(key, header.substring(0, last)))) {
            throw refused("The internal identity's signature does not match.");
        }
        byte[] json = canonical(header.substring(first + 1, last));
        Claims claims;
        try {
            claims = json == null ? null : EventJson.decode(json, Claims.class);
        } catch (RuntimeException e) {
            claims = null;
        }
        if (claims == null || claims.iss() == null || (claims.sub() == null && claims.adm())
                || (claims.sub() != null && (claims.sub().isBlank() || ControlCharacters.in(claims.sub())))) {
            throw refused("The internal identity's claims are malformed.");
        }
        long at = now.getEpochSecond();
        long skew = CLOCK_SKEW.toSeconds();
        if (claims.iat() > at + skew || claims.exp() < at - skew || claims.exp() - claims.iat() > LIFETIME.toSeconds()) {
            throw refused("The internal identity has expired or is not valid yet.");
        }
        return new Caller(claims.iss(), Optional.ofNullable(claims.sub()), claims.adm());
    }

    /** The bytes of a base64url text in its one canonical spelling; null for any other text. */
    private static byte[] canonical(String text) {
        try {
            byte[] bytes = DECODER.decode(text);
            return ENCODER.encodeToString(bytes).equals(text) ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] mac(byte[] key, String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    private static ProblemException refused(String detail) {
        return new ProblemException(401, "UNAUTHENTICATED", "Unauthenticated", detail);
    }
}
