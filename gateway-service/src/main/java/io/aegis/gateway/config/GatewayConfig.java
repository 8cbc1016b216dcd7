package io.aegis.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

@ConfigMapping(prefix = "aegis")
public interface GatewayConfig {

    Identity identity();

    Limits limits();

    Services services();

    PipelineFolder pipelines();

    Streams streams();

    Redis redis();

    Web web();

    interface Web {
        /**
         * Origins of the lab's other front ends that may call the API from their pages (CORS), e.g.
         * https://portal.lab.example; none by default. The web app served by the gateway needs none.
         */
        Optional<List<String>> corsOrigins();
    }

    interface PipelineFolder {
        /** Pipeline definitions ({@code <name>.json}) offered beside the built-in ones; the worker must read the same. */
        Optional<Path> dir();
    }

    interface Redis {
        /** The Redis shared with log-stream-service, where tickets wait to be redeemed; {@code quarkus.redis.hosts} is set from it. */
        URI url();
    }

    interface Streams {
        /** How long a stream ticket may wait to be redeemed; it opens one stream, once. */
        @WithDefault("60s")
        Duration ticketTtl();
    }

    interface Identity {
        /** The HS256 key of bearer tokens; required outside dev and test. */
        Optional<String> tokenSecret();

        /** The users of this installation. */
        @WithDefault("alice,bob")
        List<String> users();

        /** The users who may administer Aegis, e.g. register databases; none by default. */
        Optional<Set<String>> admins();

        Oidc oidc();
    }

    /** A lab's OpenID Connect provider, whose access tokens the gateway takes beside its own. */
    interface Oidc {
        /** The provider's issuer, e.g. https://id.lab.example/realms/aegis; unset, only the gateway's own tokens are taken. */
        Optional<URI> issuer();

        /** The audience a token must name (Keycloak: an audience mapper on the client). */
        @WithDefault("aegis")
        String audience();

        /** The claim that names the user. */
        @WithDefault("preferred_username")
        String userClaim();

        /** Where a token lists the user's roles: claim names separated by '/'. */
        @WithDefault("realm_access/roles")
        String rolesClaim();

        /** The role of the users who administer Aegis. */
        @WithDefault("aegis-admin")
        String adminRole();

        /** How far the provider's clock and the gateway's may disagree. */
        @WithDefault("30s")
        Duration clockSkew();

        /**
         * The provider's client the web app signs in with: a public client (no secret; a browser keeps
         * none) with the authorization code flow, PKCE S256, and this gateway's address among its
         * redirect URIs.
         */
        @WithDefault("aegis")
        String webClientId();
    }

    interface Limits {
        /**
         * The largest FASTA a submit takes, in bytes (10 MiB); {@code quarkus.http.limits.max-body-size}
         * must stay above it, with room for the rest of a multipart body.
         */
        @WithDefault("10485760")
        long maxFastaBytes();

        /** The most queries one FASTA may hold. */
        @WithDefault("10000")
        int maxSequences();

        /** The longest query, in residues. */
        @WithDefault("100000")
        int maxSequenceLength();

        /** The longest sequence id a query may have: BLAST copies it into every hit of the query. */
        @WithDefault("128")
        int maxIdLength();

        /** A user's submits a minute, accepted or refused (all at once, or spread out); 0 sets no limit. */
        @WithDefault("60")
        int submitsPerMinute();

        /**
         * The store a user's jobs may take (their files: results and artifacts) before their submits
         * are refused; 0 sets no quota. 10 GiB by default.
         */
        @WithDefault("10737418240")
        long storeBytesPerUser();
    }

    /** Where the services behind the gateway answer; by default each on its own port of this host. */
    interface Services {
        @WithDefault("http://127.0.0.1:8081")
        URI job();

        @WithDefault("http://127.0.0.1:8082")
        URI worker();

        @WithDefault("http://127.0.0.1:8083")
        URI artifact();

        @WithDefault("http://127.0.0.1:8084")
        URI logStream();

        /** How long the list of databases is trusted before it is read again. */
        @WithDefault("30s")
        Duration catalogTtl();
    }
}
