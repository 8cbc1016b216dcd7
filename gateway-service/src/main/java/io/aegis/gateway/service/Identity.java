package io.aegis.gateway.service;

import io.aegis.events.EventJson;
import io.aegis.events.Problem;
import io.aegis.gateway.config.GatewayConfig;
import io.aegis.gateway.domain.Tickets;
import io.aegis.gateway.domain.Tokens;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates every {@code /api/} request by its bearer token before any route runs, and
 * records the user for the routes; anything else gets a 401 problem. The one exception is a job's
 * event stream opened with a stream ticket ({@link Tickets#opensStreamWithTicket}): it passes with no
 * user, and log-stream-service checks the ticket.
 */
@ApplicationScoped
public class Identity {

    public static final String USER = "aegis.user";
    private static final String DEV_SECRET = "aegis-dev-secret-not-for-production";

    private final Tokens tokens;
    private final Set<String> admins;

    public Identity(GatewayConfig config) {
        String secret = config.identity().tokenSecret().orElseGet(() -> {
            if (LaunchMode.current() == LaunchMode.NORMAL) {
                throw new IllegalStateException("Set AEGIS_IDENTITY_TOKEN_SECRET (aegis.identity.token-secret): "
                        + "the key that signs bearer tokens. ./aegis up generates one for the local stack.");
            }
            return DEV_SECRET;
        });
        this.tokens = new Tokens(secret, new HashSet<>(config.identity().users()));
        this.admins = Set.copyOf(config.identity().admins().orElse(Set.of()));
    }

    /** Whether an authenticated user may administer Aegis (register databases): one of {@code aegis.identity.admins}. */
    public boolean isAdmin(String user) {
        return user != null && admins.contains(user);
    }

    public Tokens tokens() {
        return tokens;
    }

    void register(@Observes Filters filters) {
        filters.register(this::authenticate, 100);
    }

    /** The authenticated user; null only for an event stream opened with a stream ticket. */
    public static String user(RoutingContext context) {
        return context.get(USER);
    }

    private void authenticate(RoutingContext context) {
        // the path the router matches: a raw path with dot segments must not slip past this check
        String path = context.normalizedPath();
        if (!path.startsWith("/api/")) {
            context.next();
            return;
        }
        String header = context.request().getHeader("Authorization");
        if (Tickets.opensStreamWithTicket(context.request().method().name(), path,
                context.request().getParam("ticket"), header)) {
            // an EventSource cannot send a bearer token: log-stream-service redeems the ticket; no user is named
            context.next();
            return;
        }
        Optional<String> user = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? tokens.verify(header.substring(7).strip(), Instant.now())
                : Optional.empty();
        if (user.isEmpty()) {
            Problem problem = Problem.of(401, "UNAUTHENTICATED", "Unauthenticated",
                    header == null ? "Send a bearer token: Authorization: Bearer <token> (./aegis token <user>)."
                            : "The bearer token is not valid or has expired.");
            context.response().setStatusCode(401)
                    .putHeader("WWW-Authenticate", "Bearer")
                    .putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(EventJson.encodeToString(problem));
            return;
        }
        context.put(USER, user.get());
        context.next();
    }
}
