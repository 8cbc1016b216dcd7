package io.aegis.gateway.domain;

import java.util.Map;

/**
 * A job as a client submits it, in JSON or multipart. Fields a client sends beyond these are
 * ignored; {@code params} are checked strictly.
 *
 * @param reuse false to run the job even when an identical one already succeeded (default true)
 */
public record SubmitRequest(String fasta, String fileName, String pipeline, String database,
                            Map<String, Object> params, String name, Boolean reuse) {
}
