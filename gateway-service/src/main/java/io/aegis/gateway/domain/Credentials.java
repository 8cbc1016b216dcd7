package io.aegis.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The access token a request carries in its {@code Authorization} header. Everywhere a bearer token
 * ({@code Bearer <token>}); on the qblast endpoint ({@link QBlast#PATH}) also HTTP Basic with the token
 * as the password, because Biopython's {@code qblast} authenticates only that way (urllib's
 * {@code HTTPBasicAuthHandler}, after a {@code 401} naming a Basic realm). The user name of Basic
 * credentials is not read: the token alone says who the caller is, and qblast sends {@code blast}
 * unless told otherwise.
 */
public final class Credentials {

    /** The challenge of the qblast endpoint: urllib answers a Basic challenge, and no other. */
    public static final String BASIC_CHALLENGE = "Basic realm=\"Aegis\"";

    /** The token in {@code header}; empty when there is none, or it is Basic where Basic is not taken. */
    public static Optional<String> token(String header, boolean basicTaken) {
        if (header == null) {
            return Optional.empty();
        }
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return nonBlank(header.substring(7).strip());
        }
        if (basicTaken && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return password(header.substring(6).strip());
        }
        return Optional.empty();
    }

    /** The password of Basic credentials ({@code base64(user ":" password)}); empty when they do not decode. */
    static Optional<String> password(String encoded) {
        if (encoded.length() > 2 * Tokens.MAX_LENGTH) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? Optional.empty() : nonBlank(decoded.substring(colon + 1).strip());
    }

    private static Optional<String> nonBlank(String token) {
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private Credentials() {
    }
}
