package io.aegis.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived download links: a plain {@code <a href download>} cannot send a bearer token, so the
 * gateway signs one path for one user until a moment ~60 s away, and takes the link in place of the
 * token for a {@code GET} of exactly that path ({@code ?link=<expiry>.<user>.<signature>}). The
 * browser then streams the file to disk itself (with its own progress, resumable by byte ranges)
 * instead of the page reading it into memory. A link is HMAC-SHA256 over the method, the path, the
 * user and the expiry with a key only the gateway holds; it names nothing else, so it opens no other
 * path, no other method, and nothing once expired. Within its minute it can be used more than once
 * (a resumed download asks for the rest of the same path).
 *
 * <p>Only a job's artifact and its export zip can be linked ({@link #linkable}); an artifact's name is
 * kept to characters that read the same encoded or not, so the path signed is the path the router
 * matches.
 */
public final class DownloadLinks {

    /** The query parameter that carries a link. */
    public static final String PARAM = "link";
    /** How long a link opens its path. */
    public static final Duration TTL = Duration.ofSeconds(60);
    /** Longer is no link of ours, and is not read. */
    static final int MAX_LENGTH = 512;

    private static final String UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
    private static final Pattern LINKABLE = Pattern.compile("/api/v1/jobs/" + UUID_PATTERN + "/(artifacts/[A-Za-z0-9._-]+|export)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** A link issued: the URL to put in an {@code href}, and when it stops opening its path. */
    public record Link(String url, Instant expiresAt) {
    }

    private final byte[] key;

    /** @param key at least 32 bytes, known to the gateway alone */
    public DownloadLinks(byte[] key) {
        if (key == null || key.length < 32) {
            throw new IllegalArgumentException("A download link key needs at least 32 bytes");
        }
        this.key = key.clone();
    }

    /**
     * The path of what a job's owner may download through a link, relative to the job: {@code export}
     * or {@code artifacts/<name>}; empty for anything else (a name with characters that would be
     * encoded, a dot segment, another route).
     */
    public static Optional<String> path(UUID jobId, String what) {
        if ("export".equals(what)) {
            return Optional.of("/api/v1/jobs/" + jobId + "/export");
        }
        if (what != null && what.startsWith("artifacts/")) {
            String name = what.substring("artifacts/".length());
            if (NAME.matcher(name).matches() && !name.equals(".") && !name.equals("..")) {
                return Optional.of("/api/v1/jobs/" + jobId + "/artifacts/" + name);
            }
        }
        return Optional.empty();
    }

    /**
     * A query string without its download link parameter ({@value #PARAM}), every other parameter as sent,
     * in order; null when nothing is left.
     */
    public static String withoutLink(String query) {
        if (query == null) {
            return null;
        }
        String kept = Arrays.stream(query.split("&"))
                .filter(part -> !part.equals(PARAM) && !part.startsWith(PARAM + "="))
                .collect(Collectors.joining("&"));
        return kept.isEmpty() ? null : kept;
    }

    /** Whether a normalized request path is one a link may open: a job's artifact or its export. */
    public static boolean linkable(String path) {
        return path != null && LINKABLE.matcher(path).matches();
    }

    /** A link for {@code user} to {@code GET path} until {@code now + ttl}. */
    public Link issue(String user, String path, Instant now, Duration ttl) {
        if (!linkable(path)) {
            throw new IllegalArgumentException("Not a path a link may open: " + path);
        }
        long expires = now.plus(ttl).getEpochSecond();
        String value = expires + "." + ENCODER.encodeToString(user.getBytes(StandardCharsets.UTF_8)) + "."
                + ENCODER.encodeToString(sign("GET", path, user, expires));
        return new Link(path + "?" + PARAM + "=" + value, Instant.ofEpochSecond(expires));
    }

    /**
     * The user a link speaks for when it was issued for {@code method} and {@code path} and holds at
     * {@code now}; empty when it is malformed, altered, expired, or for another path or method.
     */
    public Optional<String> verify(String method, String path, String link, Instant now) {
        if (link == null || link.length() > MAX_LENGTH || !linkable(path)) {
            return Optional.empty();
        }
        String[] parts = link.split("\\.", -1);
        if (parts.length != 3 || !parts[0].matches("[0-9]{1,12}")) {
            return Optional.empty();
        }
        try {
            long expires = Long.parseLong(parts[0]);
            String user = new String(DECODER.decode(parts[1]), StandardCharsets.UTF_8);
            // compared as text: only the canonical encoding of the right signature matches
            byte[] expected = ENCODER.encodeToString(sign(method, path, user, expires)).getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(parts[2].getBytes(StandardCharsets.US_ASCII), expected)
                    || !ENCODER.encodeToString(user.getBytes(StandardCharsets.UTF_8)).equals(parts[1])) {
                return Optional.empty();
            }
            return now.getEpochSecond() < expires && expires - now.getEpochSecond() <= TTL.toSeconds() * 2
                    ? Optional.of(user) : Optional.empty();
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    private byte[] sign(String method, String path, String user, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            // each part on a line of its own: no part can pass for another (a user holds no line break)
            return mac.doFinal(("aegis-download-link\n" + method + "\n" + path + "\n" + user + "\n" + expires)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
