package io.aegis.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CloudEvents 1.0 in Kafka binary mode: the body stays the plain JSON event and the attributes
 * travel as {@code ce_*} headers, so any Kafka client can route on them without parsing bodies.
 */
public final class CloudEvents {

    public static final String SPEC_VERSION = "1.0";

    /**
     * The headers of one record.
     *
     * @param id      unique per event and stable across redelivery, so consumers can drop duplicates
     * @param source  the producing service, e.g. {@code /aegis/job-service}
     * @param subject the job id the event is about
     */
    public static Map<String, String> binaryHeaders(String topic, String id, String source, String subject, Instant time) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", SPEC_VERSION);
        headers.put("ce_id", id);
        headers.put("ce_source", source);
        headers.put("ce_type", Topics.cloudEventType(topic));
        headers.put("ce_subject", subject);
        headers.put("ce_time", time.toString());
        headers.put("content-type", "application/json");
        return headers;
    }

    private CloudEvents() {
    }
}
