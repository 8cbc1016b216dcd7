package io.aegis.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.domain.OidcTokens.Caller;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

/** The provider's tokens, signed here with keys made for the test, checked as the gateway checks them. */
class OidcTokensTest {

    private static final URI ISSUER = URI.create("https://id.lab.example/realms/aegis");
    private static final RsaJsonWebKey KEY = key("k1");
    private static final RsaJsonWebKey OTHER_KEY = key("k2");
    private static final OidcTokens TOKENS = new OidcTokens(new OidcTokens.Settings(ISSUER, "aegis",
            "preferred_username", "realm_access/roles", "aegis-admin", Duration.ofSeconds(30)),
            new JwksVerificationKeyResolver(new JsonWebKeySet(KEY).getJsonWebKeys()));

    @Test
    void aTokenOfTheProviderForAegisNamesItsUserAndTheirAdminRole() {
        assertThat(TOKENS.verify(token(claims -> { }))).contains(new Caller("alice", true));
        assertThat(TOKENS.verify(token(claims -> claims.setClaim("realm_access", Map.of("roles", List.of("user"))))))
                .contains(new Caller("alice", false));
        assertThat(TOKENS.verify(token(claims -> claims.setAudience("account", "aegis")))).isPresent();
    }

    @Test
    void aTokenSignedWithAnotherKeyOrTamperedWithIsRefused() {
        assertThat(TOKENS.verify(sign(claims(c -> { }), OTHER_KEY))).isEmpty();
        String token = token(claims -> { });
        String[] parts = token.split("\\.");
        String otherClaims = token(claims -> claims.setClaim("preferred_username", "mallory")).split("\\.")[1];
        assertThat(TOKENS.verify(parts[0] + "." + otherClaims + "." + parts[2])).isEmpty();
        assertThat(TOKENS.verify(token + "x")).isEmpty();
        assertThat(TOKENS.verify("not a token")).isEmpty();
    }

    @Test
    void anotherIssuerAnotherAudienceOrNoUserIsRefused() {
        assertThat(TOKENS.verify(token(claims -> claims.setIssuer("https://id.lab.example/realms/master")))).isEmpty();
        assertThat(TOKENS.verify(token(claims -> claims.setAudience("account")))).isEmpty();
        assertThat(TOKENS.verify(token(claims -> claims.unsetClaim("preferred_username")))).isEmpty();
        assertThat(TOKENS.verify(token(claims -> claims.unsetClaim("sub")))).isEmpty();
    }

    @Test
    void anExpiredTokenOrOneValidForMoreThanTwelveHoursIsRefusedAndTheClockSkewIsAllowed() {
        assertThat(TOKENS.verify(token(claims -> {
            claims.setIssuedAt(NumericDate.fromSeconds(now() - 600));
            claims.setExpirationTime(NumericDate.fromSeconds(now() - 60));
        }))).isEmpty();
        assertThat(TOKENS.verify(token(claims -> {
            claims.setIssuedAt(NumericDate.fromSeconds(now() - 600));
            claims.setExpirationTime(NumericDate.fromSeconds(now() - 10));
        }))).as("expired 10 s ago, within 30 s of skew").isPresent();
        assertThat(TOKENS.verify(token(claims -> claims.setExpirationTime(NumericDate.fromSeconds(now() + 13 * 3600)))))
                .isEmpty();
        assertThat(TOKENS.verify(token(claims -> {
            claims.setIssuedAt(NumericDate.fromSeconds(now() - 13 * 3600));
            claims.setExpirationTime(NumericDate.fromSeconds(now() + 60));
        }))).as("issued 13 h before it expires").isEmpty();
    }

    @Test
    void aTokenSignedWithTheProvidersPublicKeyAsAnHmacSecretIsRefused() throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims(c -> { }).toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKeyIdHeaderValue(KEY.getKeyId());
        jws.setKey(new HmacKey(KEY.getPublicKey().getEncoded()));
        assertThat(TOKENS.verify(jws.getCompactSerialization())).isEmpty();
    }

    private static String token(Consumer<JwtClaims> change) {
        return sign(claims(change), KEY);
    }

    private static JwtClaims claims(Consumer<JwtClaims> change) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER.toString());
        claims.setAudience("aegis");
        claims.setSubject("0b6c1e0e-2c8f-4a53-9d6e-6c1d4c2c1a01");
        claims.setClaim("preferred_username", "alice");
        claims.setClaim("realm_access", Map.of("roles", List.of("aegis-admin", "user")));
        claims.setIssuedAt(NumericDate.fromSeconds(now()));
        claims.setExpirationTime(NumericDate.fromSeconds(now() + 300));
        change.accept(claims);
        return claims;
    }

    private static String sign(JwtClaims claims, RsaJsonWebKey key) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key.getPrivateKey());
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RsaJsonWebKey key(String id) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(id);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
