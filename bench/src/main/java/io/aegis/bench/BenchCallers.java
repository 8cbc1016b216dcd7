package io.aegis.bench;

import io.aegis.events.InternalIdentity;
import io.aegis.events.InternalIdentity.Caller;
import java.time.Instant;

/**
 * The load generator speaks to a service behind the gateway directly, so it signs its callers as
 * another Aegis service would, with the benchmark stack's internal key ({@code AEGIS_INTERNAL_KEY},
 * which {@code ./aegis bench} gives the services and the generator alike).
 */
final class BenchCallers {

    private static final byte[] KEY = InternalIdentity.key(System.getenv("AEGIS_INTERNAL_KEY"));

    private BenchCallers() {
    }

    static String identity(String user) {
        return InternalIdentity.sign(Caller.user("bench", user, false), KEY, Instant.now());
    }

    /** The user a request's identity names; null when it names nobody or is not valid. */
    static String user(String identity) {
        try {
            return InternalIdentity.verify(identity, KEY, Instant.now()).user().orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
