package io.aegis.artifact.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.aegis.events.JobStatus;
import java.util.UUID;

/**
 * A job as job-service shows it to its owner, as far as this service needs it before the job's
 * finalization starts: its state, and the earlier job whose results it reused (null when it ran).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobSummary(UUID id, JobStatus status, UUID reusedFrom) {
}
