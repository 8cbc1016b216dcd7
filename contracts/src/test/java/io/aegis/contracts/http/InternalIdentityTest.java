package io.aegis.contracts.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.contracts.http.InternalIdentity.Caller;
import io.aegis.contracts.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class InternalIdentityTest {

    private static final byte[] KEY = InternalIdentity.key("k".repeat(32));
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    @Test
    void aSignedUserIsReadBackWithTheSigningServiceAndTheAdminFlag() {
        String header = InternalIdentity.sign(Caller.user("gateway-service", "alice", true), KEY, NOW);

        assertThat(InternalIdentity.verify(header, KEY, NOW.plusSeconds(59)))
                .isEqualTo(new Caller("gateway-service", Optional.of("alice"), true));
        assertThat(header).startsWith("v1.").doesNotContain("=");
    }

    @Test
    void aRequestForNobodyNamesNoUser() {
        String header = InternalIdentity.sign(Caller.nobody("gateway-service"), KEY, NOW);

        Caller caller = InternalIdentity.verify(header, KEY, NOW);
        assertThat(caller.user()).isEmpty();
        assertThat(caller.admin()).isFalse();
        assertThat(decodedClaims(header)).doesNotContain("sub");
    }

    @Test
    void noHeaderABareUserOrGarbageIsRefused() {
        assertUnauthenticated(() -> InternalIdentity.verify(null, KEY, NOW));
        assertUnauthenticated(() -> InternalIdentity.verify("", KEY, NOW));
        assertUnauthenticated(() -> InternalIdentity.verify("alice", KEY, NOW));
        assertUnauthenticated(() -> InternalIdentity.verify("v1.alice", KEY, NOW));
        assertUnauthenticated(() -> InternalIdentity.verify("v2.e30.e30", KEY, NOW));
        assertUnauthenticated(() -> InternalIdentity.verify("v1." + "a".repeat(InternalIdentity.MAX_LENGTH), KEY, NOW));
    }

    @Test
    void anIdentitySignedWithAnotherKeyIsRefused() {
        String forged = InternalIdentity.sign(Caller.user("gateway-service", "alice", true),
                InternalIdentity.key("x".repeat(32)), NOW);

        assertUnauthenticated(() -> InternalIdentity.verify(forged, KEY, NOW));
    }

    @Test
    void changedClaimsOrAnotherSpellingOfTheSignatureAreRefused() {
        String header = InternalIdentity.sign(Caller.user("gateway-service", "alice", false), KEY, NOW);
        int last = header.lastIndexOf('.');
        String claims = decodedClaims(header).replace("\"adm\":false", "\"adm\":true");
        String tampered = "v1." + encode(claims) + header.substring(last);

        assertUnauthenticated(() -> InternalIdentity.verify(tampered, KEY, NOW));
        assertUnauthenticated(() -> InternalIdentity.verify(header + "=", KEY, NOW));
        assertUnauthenticated(() -> InternalIdentity.verify(header.substring(0, header.length() - 1)
                + (header.endsWith("A") ? "B" : "A"), KEY, NOW));
    }

    @Test
    void anIdentityIsGoodForAMinuteWithinTheClockSkew() {
        String header = InternalIdentity.sign(Caller.user("job-service", "bob", false), KEY, NOW);

        assertThat(InternalIdentity.verify(header, KEY, NOW.minus(InternalIdentity.CLOCK_SKEW)).user()).contains("bob");
        assertThat(InternalIdentity.verify(header, KEY, NOW.plus(InternalIdentity.LIFETIME)
                .plus(InternalIdentity.CLOCK_SKEW)).user()).contains("bob");
        assertUnauthenticated(() -> InternalIdentity.verify(header, KEY, NOW.plus(InternalIdentity.LIFETIME)
                .plus(InternalIdentity.CLOCK_SKEW).plusSeconds(1)));
        assertUnauthenticated(() -> InternalIdentity.verify(header, KEY, NOW.minus(InternalIdentity.CLOCK_SKEW)
                .minusSeconds(1)));
    }

    @Test
    void anIdentitySignedForLongerThanItsLifetimeIsRefused() {
        String claims = "{\"iss\":\"gateway-service\",\"sub\":\"alice\",\"adm\":false,\"iat\":" + NOW.getEpochSecond()
                + ",\"exp\":" + NOW.plus(Duration.ofDays(365)).getEpochSecond() + "}";

        assertUnauthenticated(() -> InternalIdentity.verify(signed(claims), KEY, NOW));
    }

    @Test
    void claimsWithoutAnIssuerWithABlankOrControlCharacterUserOrAnAdminWhoIsNobodyAreRefused() {
        long iat = NOW.getEpochSecond();
        for (String claims : new String[] {
                "{\"sub\":\"alice\",\"iat\":" + iat + ",\"exp\":" + (iat + 60) + "}",
                "{\"iss\":\"x\",\"sub\":\" \",\"iat\":" + iat + ",\"exp\":" + (iat + 60) + "}",
                "{\"iss\":\"x\",\"sub\":\"al\\nice\",\"iat\":" + iat + ",\"exp\":" + (iat + 60) + "}",
                "{\"iss\":\"x\",\"adm\":true,\"iat\":" + iat + ",\"exp\":" + (iat + 60) + "}",
                "[1,2]"}) {
            assertUnauthenticated(() -> InternalIdentity.verify(signed(claims), KEY, NOW));
        }
    }

    @Test
    void aKeyShorterThan32BytesIsNotTaken() {
        assertThatThrownBy(() -> InternalIdentity.key("short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> InternalIdentity.key(null)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Claims signed properly with the test key, to show the claims' own rules hold. */
    private static String signed(String claims) {
        String payload = "v1." + encode(claims);
        // claims sign() would never write, so signed here as sign() does
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            return payload + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodedClaims(String header) {
        return new String(Base64.getUrlDecoder().decode(header.split("\\.")[1]), StandardCharsets.UTF_8);
    }

    private static void assertUnauthenticated(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(401);
            assertThat(e.problem().code()).isEqualTo("UNAUTHENTICATED");
        });
    }
}
