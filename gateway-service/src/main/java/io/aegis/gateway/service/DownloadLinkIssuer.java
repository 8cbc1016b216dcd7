package io.aegis.gateway.service;

import io.aegis.contracts.problem.ProblemException;
import io.aegis.gateway.domain.DownloadLinks;
import io.aegis.web.identity.InternalKey;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Issues download links ({@link DownloadLinks}) to a job's owner, and holds the key {@link Identity}
 * checks them with: derived from the internal key ({@link InternalKey#derive}), so every gateway replica
 * signs and checks alike with no secret of its own, and no link signature is ever an identity's.
 */
@ApplicationScoped
public class DownloadLinkIssuer {

    private static final String PURPOSE = "download links";

    private final DownloadLinks links;
    private final TicketIssuer tickets;

    public DownloadLinkIssuer(InternalKey key, TicketIssuer tickets) {
        this.tickets = tickets;
        this.links = new DownloadLinks(key.derive(PURPOSE));
    }

    /** The links' key and rules, for {@link Identity} to check a link by (and a test to sign an expired one). */
    public DownloadLinks links() {
        return links;
    }

    /**
     * A link for {@code user} to download {@code what} of job {@code jobId} ({@code export} or
     * {@code artifacts/<name>}): 400 for anything else, job-service's 404 when the job is not the user's.
     */
    public Uni<DownloadLinks.Link> issue(String user, UUID jobId, String what) {
        Optional<String> path = DownloadLinks.path(jobId, what);
        if (path.isEmpty()) {
            return Uni.createFrom().failure(new ProblemException(400, "INVALID_DOWNLOAD", "Invalid download",
                    "A link is for \"export\" or \"artifacts/<name>\" (letters, digits, '.', '_', '-')."));
        }
        return tickets.owned(user, jobId)
                .map(owned -> links.issue(user, path.get(), Instant.now(), DownloadLinks.TTL));
    }
}
