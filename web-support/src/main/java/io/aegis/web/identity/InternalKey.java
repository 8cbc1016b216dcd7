package io.aegis.web.identity;

import io.aegis.contracts.http.InternalIdentity.Caller;
import io.aegis.contracts.http.InternalIdentity;
import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The internal key, with which the Aegis services vouch for their callers to each other
 * ({@link InternalIdentity}): this service signs the caller of each request it makes to another,
 * and checks the callers of the requests it takes ({@link InternalCallerCheck}). Every service holds
 * the same key, and nothing else does: not a tool process, not a browser. Required in production
 * ({@code AEGIS_INTERNAL_KEY}); tests and dev mode use {@link InternalIdentity#DEV_KEY}.
 */
@ApplicationScoped
public class InternalKey {

    private final byte[] key;
    private final String service;

    public InternalKey(@ConfigProperty(name = "aegis.internal.key") Optional<String> configured,
                       @ConfigProperty(name = "quarkus.application.name") String service) {
        this.key = InternalIdentity.key(configured.orElseGet(() -> {
            if (LaunchMode.current() == LaunchMode.NORMAL) {
                throw new IllegalStateException("Set AEGIS_INTERNAL_KEY (aegis.internal.key): the key with which the "
                        + "Aegis services vouch for their callers to each other, the same in all five. "
                        + "./aegis up generates one for the local stack.");
            }
            return InternalIdentity.DEV_KEY;
        }));
        this.service = service;
    }

    /** The identity to send for a request made for {@code user}. */
    public String forUser(String user, boolean admin) {
        return InternalIdentity.sign(Caller.user(service, user, admin), key, Instant.now());
    }

    /** The identity to send for a request made for {@code user}, who is not known to administer Aegis. */
    public String forUser(String user) {
        return forUser(user, false);
    }

    /** The identity to send for a request made for no user (what it reads is open to every user). */
    public String forNobody() {
        return InternalIdentity.sign(Caller.nobody(service), key, Instant.now());
    }

    /**
     * A key of its own for {@code purpose}, derived from this one (HMAC-SHA256 of the purpose): what is
     * signed with it can never pass for an identity, and it needs no secret of its own, the same in every
     * replica that holds the internal key.
     */
    public byte[] derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(("aegis derived key\n" + purpose).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The caller a request's identity header vouches for; a 401 problem when it vouches for nobody. */
    public Caller verify(String header) {
        return InternalIdentity.verify(header, key, Instant.now());
    }
}
