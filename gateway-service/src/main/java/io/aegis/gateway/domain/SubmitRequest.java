package io.aegis.gateway.domain;

import java.util.Map;

/**
 * A job as a client submits it, in JSON or multipart. Fields a client sends beyond these are
 * ignored; {@code params} are checked strictly.
 */
public record SubmitRequest(String fasta, String fileName, String pipeline, String database,
                            Map<String, Object> params, String name) {

    public SubmitRequest withFile(String text, String file) {
        return new SubmitRequest(text, file, pipeline, database, params, name);
    }
}
