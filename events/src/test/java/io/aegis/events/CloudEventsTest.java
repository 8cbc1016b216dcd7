package io.aegis.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CloudEventsTest {

    @Test
    void binaryModeCarriesTheRequiredAttributesAsCePrefixedHeaders() {
        var headers = CloudEvents.binaryHeaders(Topics.JOB_STATE, "e-1", "/aegis/job-service", "job-7",
                Instant.parse("2026-01-02T03:04:05Z"));

        assertThat(headers).containsExactly(
                java.util.Map.entry("ce_specversion", "1.0"),
                java.util.Map.entry("ce_id", "e-1"),
                java.util.Map.entry("ce_source", "/aegis/job-service"),
                java.util.Map.entry("ce_type", "io.aegis.job.state"),
                java.util.Map.entry("ce_subject", "job-7"),
                java.util.Map.entry("ce_time", "2026-01-02T03:04:05Z"),
                java.util.Map.entry("content-type", "application/json"));
    }
}
