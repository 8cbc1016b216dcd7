package io.aegis.artifact.rest;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.web.Callers;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * What the caller's jobs take in the store (caller in {@link AegisHeaders#USER}): the bytes of every
 * file artifact of theirs (the worker's results and the artifacts built from them), and the jobs
 * that have any. The gateway holds it against the user's store quota.
 */
@Path("/api/v1/usage")
public class UsageResource {

    public record Usage(String user, long storeBytes, long jobs) {
    }

    private final Pool pool;

    public UsageResource(Pool pool) {
        this.pool = pool;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's store usage: the bytes of their jobs' files, and how many jobs have any")
    public Uni<Usage> usage(@HeaderParam(AegisHeaders.USER) String user) {
        String owner = Callers.user(user);
        return pool.preparedQuery("""
                        SELECT coalesce(sum(size), 0) AS bytes, count(DISTINCT job_id) AS jobs
                          FROM artifacts.artifact WHERE owner = $1 AND kind = 'file'""")
                .execute(Tuple.of(owner))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Usage(owner, row.getLong("bytes"), row.getLong("jobs"));
                });
    }
}
