package io.aegis.contracts.http;

import java.util.Map;

/**
 * A validated job, as the gateway hands it to job-service ({@code POST /api/v1/jobs} with the
 * {@link AegisHeaders#USER} header). The FASTA has been parsed and normalized by the gateway.
 *
 * @param databaseVersion the version of the database the job will search, when the catalog knows it;
 *                        result reuse only matches jobs that searched the same version
 * @param reuse           false when the submitter wants a fresh run even if an identical job succeeded
 */
public record JobSubmission(
        String name,
        String fileName,
        String pipeline,
        String database,
        Map<String, Object> params,
        String fasta,
        int sequenceCount,
        long residueCount,
        String databaseVersion,
        Boolean reuse) {

    /** Reuse is on unless the submitter turned it off. */
    public boolean reuseAllowed() {
        return reuse == null || reuse;
    }
}
