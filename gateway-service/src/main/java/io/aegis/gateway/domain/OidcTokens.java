package io.aegis.gateway.domain;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.VerificationKeyResolver;

/**
 * Bearer tokens of a lab's OpenID Connect provider: signed with one of the provider's keys
 * (asymmetric algorithms only), issued by it, for Aegis' audience, not expired, and valid for at
 * most {@link Tokens#MAX_LIFETIME} as the gateway's own tokens are, all within {@code clockSkew}.
 * The user is a claim of the token ({@code preferred_username} by default) and administrators
 * hold a role found at a configurable claim path ({@code realm_access/roles} by default, Keycloak's).
 */
public final class OidcTokens {

    /** What a valid token says: who, and whether they administer Aegis. */
    public record Caller(String user, boolean admin) {
    }

    /** The provider's settings. */
    public record Settings(URI issuer, String audience, String userClaim, String rolesClaim, String adminRole,
                           Duration clockSkew) {
    }

    private final Settings settings;
    private final JwtConsumer consumer;

    /** @param keys the provider's signature keys (its JWKS, fetched again when a token names a key not seen yet) */
    public OidcTokens(Settings settings, VerificationKeyResolver keys) {
        this.settings = settings;
        this.consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds((int) settings.clockSkew().toSeconds())
                .setMaxFutureValidityInMinutes((int) Tokens.MAX_LIFETIME.toMinutes())
                .setExpectedIssuer(settings.issuer().toString())
                .setExpectedAudience(settings.audience())
                .setVerificationKeyResolver(keys)
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
                        AlgorithmIdentifiers.RSA_USING_SHA512, AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
                        AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384))
                .build();
    }

    /** The caller a token names; empty for any token that is not valid. */
    public Optional<Caller> verify(String token) {
        try {
            JwtClaims claims = consumer.processToClaims(token);
            long lifetime = claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue();
            if (lifetime > Tokens.MAX_LIFETIME.toSeconds()) {
                return Optional.empty();
            }
            Object user = claims.getClaimValue(settings.userClaim());
            if (!(user instanceof String name) || name.isBlank()) {
                return Optional.empty();
            }
            return Optional.of(new Caller(name, roles(claims.getClaimsMap()).contains(settings.adminRole())));
        } catch (InvalidJwtException | MalformedClaimException e) {
            return Optional.empty();
        }
    }

    /** The roles at the configured claim path ({@code a/b}: claim a, then its member b); none when absent. */
    private List<?> roles(Map<String, Object> claims) {
        Object node = claims;
        for (String step : settings.rolesClaim().split("/")) {
            if (!(node instanceof Map<?, ?> map)) {
                return List.of();
            }
            node = map.get(step);
        }
        return node instanceof List<?> list ? list : List.of();
    }
}
