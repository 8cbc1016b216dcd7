package io.aegis.artifact.domain;

import java.util.Locale;

/** The content type of an artifact, from its name. */
public final class ContentTypes {

    public static String of(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".tsv")) {
            return "text/tab-separated-values";
        }
        if (lower.endsWith(".log") || lower.endsWith(".txt")) {
            return "text/plain";
        }
        if (lower.endsWith(".xml")) {
            return "application/xml";
        }
        if (lower.endsWith(".sam")) {
            return "text/plain";
        }
        if (lower.endsWith(".json")) {
            return "application/json";
        }
        if (lower.endsWith(".fasta") || lower.endsWith(".fa")) {
            return "text/x-fasta";
        }
        if (lower.endsWith(".gz")) {
            return "application/gzip";
        }
        return "application/octet-stream";
    }

    private ContentTypes() {
    }
}
