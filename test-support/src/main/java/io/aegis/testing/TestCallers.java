package io.aegis.testing;

import io.aegis.contracts.http.InternalIdentity.Caller;
import io.aegis.contracts.http.InternalIdentity;
import java.time.Duration;
import java.time.Instant;

/**
 * Identities signed as another Aegis service would sign them, for tests and benchmarks that call a
 * service behind the gateway directly, and for stand-ins that check who called them. The key is the
 * services' own: {@code AEGIS_INTERNAL_KEY} where it is set (a benchmark's stack), else the one the
 * services use in tests ({@link InternalIdentity#DEV_KEY}).
 */
public final class TestCallers {

    private static final byte[] KEY = InternalIdentity.key(
            System.getenv().getOrDefault("AEGIS_INTERNAL_KEY", InternalIdentity.DEV_KEY));

    private TestCallers() {
    }

    /** The {@code X-Aegis-Identity} of a request made for {@code user}. */
    public static String identity(String user) {
        return InternalIdentity.sign(Caller.user("test", user, false), KEY, Instant.now());
    }

    /** The {@code X-Aegis-Identity} of a request made for {@code user}, an administrator. */
    public static String admin(String user) {
        return InternalIdentity.sign(Caller.user("test", user, true), KEY, Instant.now());
    }

    /** The {@code X-Aegis-Identity} of a request made for no user. */
    public static String nobody() {
        return InternalIdentity.sign(Caller.nobody("test"), KEY, Instant.now());
    }

    /** An identity for {@code user} signed with a key no service holds. */
    public static String forged(String user) {
        return InternalIdentity.sign(Caller.user("test", user, true), InternalIdentity.key("forged-".repeat(8)),
                Instant.now());
    }

    /** An identity for {@code user} signed with the right key, but long ago. */
    public static String expired(String user) {
        return InternalIdentity.sign(Caller.user("test", user, false), KEY, Instant.now().minus(Duration.ofMinutes(10)));
    }

    /** The user a request's {@code X-Aegis-Identity} names; null when it names nobody or is not valid. */
    public static String user(String identity) {
        try {
            return InternalIdentity.verify(identity, KEY, Instant.now()).user().orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
