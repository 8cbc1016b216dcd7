package io.aegis.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokensTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private final Tokens tokens = new Tokens("0123456789abcdef0123456789abcdef", Set.of("alice", "bob"));

    @Test
    void aTokenSpeaksForItsUserUntilItExpires() {
        String token = tokens.issue("alice", Duration.ofHours(1), NOW);
        assertThat(tokens.verify(token, NOW)).contains("alice");
        assertThat(tokens.verify(token, NOW.plus(Duration.ofHours(1)))).isEmpty();
    }

    @Test
    void aTamperedTokenIsRefused() {
        String token = tokens.issue("alice", Duration.ofHours(1), NOW);
        String[] parts = token.split("\\.");
        String bob = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"sub\":\"bob\",\"exp\":" + NOW.plusSeconds(3600).getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8));
        assertThat(tokens.verify(parts[0] + "." + bob + "." + parts[2], NOW)).isEmpty();
        assertThat(tokens.verify(token.substring(0, token.length() - 2) + "xx", NOW)).isEmpty();
    }

    @Test
    void anotherKeyOrAlgorithmOrUserIsRefused() {
        Tokens other = new Tokens("another-secret-of-enough-length", Set.of("alice", "bob"));
        assertThat(tokens.verify(other.issue("alice", Duration.ofHours(1), NOW), NOW)).isEmpty();
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        String token = tokens.issue("alice", Duration.ofHours(1), NOW);
        assertThat(tokens.verify(none + token.substring(token.indexOf('.')), NOW)).isEmpty();
        assertThat(tokens.verify(tokens.issue("mallory", Duration.ofHours(1), NOW), NOW)).isEmpty();
    }

    @Test
    void garbageIsRefusedWithoutAnError() {
        assertThat(tokens.verify(null, NOW)).isEmpty();
        assertThat(tokens.verify("", NOW)).isEmpty();
        assertThat(tokens.verify("a.b.c", NOW)).isEmpty();
        assertThat(tokens.verify("not a token at all", NOW)).isEmpty();
    }

    @Test
    void theScriptsTokenFormatIsAccepted() throws Exception {
        // what ./aegis token computes with openssl: HMAC-SHA256 over header.payload, key = the secret's bytes
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes());
        String payload = b64.encodeToString(("{\"sub\":\"bob\",\"iat\":" + NOW.getEpochSecond() + ",\"exp\":"
                + NOW.plusSeconds(60).getEpochSecond() + "}").getBytes());
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("0123456789abcdef0123456789abcdef".getBytes(), "HmacSHA256"));
        String signature = b64.encodeToString(mac.doFinal((header + "." + payload).getBytes()));
        assertThat(tokens.verify(header + "." + payload + "." + signature, NOW)).contains("bob");
    }

    @Test
    void aSignatureIsTakenOnlyInItsCanonicalForm() {
        String token = tokens.issue("alice", Duration.ofHours(1), NOW);
        assertThat(tokens.verify(token + "=", NOW)).isEmpty();
        // 43 characters carry 256 bits and 2 spare ones: another last character can decode to the same bytes
        char last = token.charAt(token.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int index = alphabet.indexOf(last);
        String sameBytes = token.substring(0, token.length() - 1) + alphabet.charAt(index ^ 1);
        assertThat(Base64.getUrlDecoder().decode(sameBytes.substring(sameBytes.lastIndexOf('.') + 1)))
                .isEqualTo(Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1)));
        assertThat(tokens.verify(sameBytes, NOW)).isEmpty();
    }

    @Test
    void aTokenValidForLongerThanTwelveHoursOrIssuedInTheFutureIsRefused() {
        assertThat(tokens.verify(tokens.issue("alice", Duration.ofDays(36_500), NOW), NOW)).isEmpty();
        assertThat(tokens.verify(tokens.issue("alice", Tokens.MAX_LIFETIME, NOW), NOW)).contains("alice");
        assertThat(tokens.verify(tokens.issue("alice", Tokens.MAX_LIFETIME.plusSeconds(1), NOW), NOW)).isEmpty();
        assertThat(tokens.verify(tokens.issue("alice", Duration.ofHours(1), NOW.plusSeconds(3600)), NOW)).isEmpty();
        assertThat(tokens.verify(tokens.issue("alice", Duration.ofHours(1), NOW.plusSeconds(30)), NOW)).contains("alice");
    }

    @Test
    void aTokenWithoutIssueTimeOrOverLongIsRefused() throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes());
        String payload = b64.encodeToString(("{\"sub\":\"bob\",\"exp\":" + NOW.plusSeconds(60).getEpochSecond() + "}").getBytes());
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("0123456789abcdef0123456789abcdef".getBytes(), "HmacSHA256"));
        String signature = b64.encodeToString(mac.doFinal((header + "." + payload).getBytes()));
        assertThat(tokens.verify(header + "." + payload + "." + signature, NOW)).isEmpty();
        assertThat(tokens.verify("a".repeat(5000) + "." + payload + "." + signature, NOW)).isEmpty();
    }
}
