package io.aegis.events;

import java.util.Map;

/**
 * A validated job, as the gateway hands it to job-service ({@code POST /api/v1/jobs} with the
 * {@link AegisHeaders#USER} header). The FASTA has been parsed and normalized by the gateway.
 */
public record JobSubmission(
        String name,
        String fileName,
        String pipeline,
        String database,
        Map<String, Object> params,
        String fasta,
        int sequenceCount,
        long residueCount) {
}
