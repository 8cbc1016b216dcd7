package io.aegis.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * CloudEvents 1.0 in Kafka binary mode: the body stays the plain JSON event and the attributes
 * travel as {@code ce_*} headers, so any Kafka client can route on them without parsing bodies, and
 * a consumer using a CloudEvents SDK's Kafka binding reads every Aegis record as an event.
 *
 * <p>This is the one place the attributes are made: each producer hands its event here. The
 * {@code id} of an event is derived from what identifies it, never drawn at send time, so a record
 * sent twice (a producer's retry, a worker's resend, the outbox after a crash) carries the same id
 * and a consumer can drop the duplicate.
 */
public final class CloudEvents {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/json";

    /** The {@code source} of what job-service publishes (requests, control, state, deletions). */
    public static final String JOB_SERVICE = "/aegis/job-service";
    /** The {@code source} of what the pipeline workers publish (progress and log lines). */
    public static final String PIPELINE_WORKER = "/aegis/pipeline-worker";
    /** The {@code source} of artifact readiness. */
    public static final String ARTIFACT_SERVICE = "/aegis/artifact-service";

    /** The headers every record carries, in the order {@link #binaryHeaders} writes them. */
    public static final List<String> HEADERS =
            List.of("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_subject", "ce_time", "content-type");

    /**
     * The headers of one record.
     *
     * @param id      unique per event and stable across redelivery, so consumers can drop duplicates
     * @param source  the producing service, e.g. {@link #JOB_SERVICE}
     * @param subject the job id the event is about
     */
    public static Map<String, String> binaryHeaders(String topic, String id, String source, String subject, Instant time) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", SPEC_VERSION);
        headers.put("ce_id", Objects.requireNonNull(id, "id"));
        headers.put("ce_source", Objects.requireNonNull(source, "source"));
        headers.put("ce_type", Topics.cloudEventType(topic));
        headers.put("ce_subject", Objects.requireNonNull(subject, "subject"));
        headers.put("ce_time", Objects.requireNonNull(time, "time").toString());
        headers.put("content-type", CONTENT_TYPE);
        return headers;
    }

    /**
     * A worker's progress event. Its id is the job, the attempt and the event's {@code seq}, which the
     * worker numbers once per attempt (shared with the log lines) and keeps when it resends the event.
     */
    public static Map<String, String> of(JobProgressEvent event) {
        return binaryHeaders(Topics.JOB_PROGRESS, "progress:" + event.jobId() + ":" + event.attempt() + ":" + event.seq(),
                PIPELINE_WORKER, event.jobId().toString(), event.at());
    }

    /** A log line: the job, the attempt and the line's {@code seq}, as for progress. */
    public static Map<String, String> of(JobLogEvent event) {
        return binaryHeaders(Topics.JOB_LOG, "log:" + event.jobId() + ":" + event.attempt() + ":" + event.seq(),
                PIPELINE_WORKER, event.jobId().toString(), event.at());
    }

    /**
     * An artifact's state: the job, the attempt it was built for, the artifact, the state and when it
     * was reached (an artifact built again after a failure reaches {@code pending} again, a new event).
     */
    public static Map<String, String> of(ArtifactStateEvent event) {
        return binaryHeaders(Topics.ARTIFACT_STATE, "artifact:" + event.jobId() + ":"
                        + (event.attempt() == null ? "-" : event.attempt()) + ":" + event.name() + ":"
                        + event.state().wire() + ":" + event.at(),
                ARTIFACT_SERVICE, event.jobId().toString(), event.at());
    }

    /**
     * The attributes of an event whose id follows from the event itself: a worker's progress and log
     * lines, and artifact states. Empty for the events job-service publishes, whose ids its outbox
     * keeps with each row, and for an event about no job (a broken one, on its way to the dead letters).
     */
    public static Optional<Map<String, String>> of(Object event) {
        return switch (event) {
            case JobProgressEvent progress when progress.jobId() != null -> Optional.of(of(progress));
            case JobLogEvent line when line.jobId() != null -> Optional.of(of(line));
            case ArtifactStateEvent artifact when artifact.jobId() != null -> Optional.of(of(artifact));
            default -> Optional.empty();
        };
    }

    private CloudEvents() {
    }
}
