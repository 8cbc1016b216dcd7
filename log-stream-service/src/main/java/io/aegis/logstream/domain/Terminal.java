package io.aegis.logstream.domain;

import com.fasterxml.jackson.databind.JsonNode;
import io.aegis.events.EventJson;
import io.aegis.events.JobStateEvent;
import io.aegis.events.JobStatus;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** The terminal event of a job that ended, told from its snapshot when the buffer does not hold it. */
public final class Terminal {

    public static StreamEvent fromSnapshot(JsonNode job, String id) {
        JobStatus status = JobStatus.valueOf(job.path("status").asText());
        JobStateEvent state = new JobStateEvent(JobStateEvent.SCHEMA, UUID.fromString(job.path("id").asText()),
                text(job, "owner"), status, text(job, "step"), job.path("progress").path("done").asInt(),
                job.path("progress").path("total").asInt(), text(job, "error"), text(job, "errorCode"),
                job.path("attempt").asInt(), job.path("version").asLong(),
                job.hasNonNull("reusedFrom") ? UUID.fromString(job.get("reusedFrom").asText()) : null,
                job.hasNonNull("finishedAt") ? Instant.parse(job.get("finishedAt").asText()) : null);
        // published when the job finished, as far as the snapshot tells: the wait for its artifacts counts from then
        return new StreamEvent(id, status.name().toLowerCase(Locale.ROOT), EventJson.encodeToString(state),
                state.at() == null ? 0 : state.at().toEpochMilli());
    }

    private static String text(JsonNode job, String field) {
        return job.hasNonNull(field) ? job.get(field).asText() : null;
    }

    private Terminal() {
    }
}
