package io.aegis.bench;

import io.aegis.contracts.http.InternalIdentity.Caller;
import io.aegis.contracts.http.InternalIdentity;
import java.time.Instant;

/**
 * The load generator speaks to a service behind the gateway directly, so it signs its callers as
 * another Aegis service would, with the benchmark stack's internal key (the one the stack gives its
 * services).
 */
final class BenchCallers {

    private final byte[] key;

    BenchCallers(String internalKey) {
        this.key = InternalIdentity.key(internalKey);
    }

    String identity(String user) {
        return InternalIdentity.sign(Caller.user("bench", user, false), key, Instant.now());
    }

    /** The user a request's identity names; null when it names nobody or is not valid. */
    String user(String identity) {
        try {
            return InternalIdentity.verify(identity, key, Instant.now()).user().orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
