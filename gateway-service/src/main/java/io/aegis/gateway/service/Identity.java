package io.aegis.gateway.service;

import io.aegis.contracts.problem.Problem;
import io.aegis.gateway.config.GatewayConfig;
import io.aegis.gateway.domain.ContractDocuments;
import io.aegis.gateway.domain.Credentials;
import io.aegis.gateway.domain.DownloadLinks;
import io.aegis.gateway.domain.OidcTokens;
import io.aegis.gateway.domain.QBlast;
import io.aegis.gateway.domain.Tickets;
import io.aegis.gateway.domain.Tokens;
import io.aegis.web.RouteProblems;
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
 * records the user and whether they administer Aegis for the routes; anything else gets a 401
 * problem. A token is the gateway's own (HS256, {@code ./aegis token}; its administrators are
 * {@code aegis.identity.admins}) or, when a lab's OpenID Connect provider is configured, one of the
 * provider's ({@link OidcProvider}; administrators hold its admin role). One exception is a
 * job's event stream opened with a stream ticket ({@link Tickets#opensStreamWithTicket}): it passes
 * with no user, and log-stream-service checks the ticket. Another is a job's artifact or export
 * asked for with a download link ({@link DownloadLinks}) and no token: it passes as the user the link
 * was signed for. {@link #SIGN_IN}, how to sign in, needs no token, nor do the events contract's
 * documents ({@link ContractDocuments}). The qblast endpoint
 * ({@link QBlast#PATH}) is authenticated the same way, the token also taken as the password of HTTP
 * Basic ({@link Credentials}).
 */
@ApplicationScoped
public class Identity {

    public static final String USER = "aegis.user";
    public static final String ADMIN = "aegis.admin";
    /** The one path under {@code /api/} open to anyone: how to sign in. */
    public static final String SIGN_IN = "/api/v1/sign-in";
    private static final String DEV_SECRET = "aegis-dev-secret-not-for-production";

    private final Optional<Tokens> tokens;
    private final Set<String> admins;
    private final OidcProvider provider;
    private final DownloadLinks links;

    public Identity(GatewayConfig config, OidcProvider provider, DownloadLinkIssuer links) {
        this.provider = provider;
        this.links = links.links();
        Optional<String> secret = config.identity().tokenSecret();
        if (secret.isEmpty() && LaunchMode.current() != LaunchMode.NORMAL) {
            secret = Optional.of(DEV_SECRET);
        }
        if (secret.isEmpty() && !provider.configured()) {
            throw new IllegalStateException("Set AEGIS_IDENTITY_OIDC_ISSUER (the lab's OpenID Connect provider) or "
                    + "AEGIS_IDENTITY_TOKEN_SECRET (the key of the gateway's own bearer tokens), or both. "
                    + "./aegis up generates a token secret for the local stack.");
        }
        this.tokens = secret.map(key -> new Tokens(key, new HashSet<>(config.identity().users())));
        this.admins = Set.copyOf(config.identity().admins().orElse(Set.of()));
    }

    /** The gateway's own tokens; empty where only the provider's are taken. */
    public Optional<Tokens> tokens() {
        return tokens;
    }

    void register(@Observes Filters filters) {
        filters.register(this::authenticate, 100);
    }

    /** The authenticated user; null only for an event stream opened with a stream ticket. */
    public static String user(RoutingContext context) {
        return context.get(USER);
    }

    /** Whether the authenticated user administers Aegis (registers databases). */
    public static boolean isAdmin(RoutingContext context) {
        return Boolean.TRUE.equals(context.get(ADMIN));
    }

    private void authenticate(RoutingContext context) {
        // the path the router matches: a raw path with dot segments must not slip past this check
        String path = context.normalizedPath();
        boolean qblast = QBlast.PATH.equals(path);
        if (!qblast && (!path.startsWith("/api/") || SIGN_IN.equals(path) || ContractDocuments.isOpen(path))) {
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
        String link = context.request().getParam(DownloadLinks.PARAM);
        if (header == null && link != null && DownloadLinks.linkable(path)) {
            // a plain <a href download> sends no token: a download link opens the one path it was signed for
            Optional<String> linked = links.verify(context.request().method().name(), path, link, Instant.now());
            if (linked.isPresent()) {
                admit(context, linked.get(), false);
            } else {
                context.response().putHeader("WWW-Authenticate", "Bearer");
                RouteProblems.send(context.response(), Problem.of(401, "UNAUTHENTICATED", "Unauthenticated",
                        "The download link is not valid for this path, or has expired; ask for a new one."));
            }
            return;
        }
        // the qblast endpoint takes the token as the password of HTTP Basic too: qblast sends nothing else
        String token = Credentials.token(header, qblast).orElse(null);
        Optional<String> own = token == null ? Optional.empty()
                : tokens.flatMap(t -> t.verify(token, Instant.now()));
        if (own.isPresent()) {
            admit(context, own.get(), admins.contains(own.get()));
            return;
        }
        if (token == null || !provider.configured() || token.length() > Tokens.MAX_LENGTH) {
            refuse(context, header, qblast);
            return;
        }
        // the provider's keys may have to be fetched: not on the event loop
        context.vertx().executeBlocking(() -> provider.verify(token), false).onComplete(verified -> {
            Optional<OidcTokens.Caller> caller = verified.succeeded() ? verified.result() : Optional.empty();
            if (caller.isPresent()) {
                admit(context, caller.get().user(), caller.get().admin());
            } else {
                refuse(context, header, qblast);
            }
        });
    }

    private static void admit(RoutingContext context, String user, boolean admin) {
        context.put(USER, user);
        context.put(ADMIN, admin);
        context.next();
    }

    private static void refuse(RoutingContext context, String header, boolean qblast) {
        Problem problem = Problem.of(401, "UNAUTHENTICATED", "Unauthenticated",
                header == null ? (qblast ? "Send your access token as the password (HTTP Basic) or as a bearer token."
                        : "Send a bearer token: Authorization: Bearer <token> (./aegis token <user>).")
                        : "The bearer token is not valid or has expired.");
        // urllib (Biopython's qblast) sends credentials only once challenged for a Basic realm
        context.response().putHeader("WWW-Authenticate", qblast ? Credentials.BASIC_CHALLENGE : "Bearer");
        RouteProblems.send(context.response(), problem);
    }
}
