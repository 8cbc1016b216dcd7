package io.aegis.events;

import java.util.List;

/** The Kafka topics of Aegis. Every record is keyed by job id and carries a JSON body. */
public final class Topics {

    /** Jobs to run; job-service produces, the pipeline workers share one consumer group. */
    public static final String JOB_REQUESTED = "aegis.job.requested";
    /** Cancel requests; every worker replica reads all of them. */
    public static final String JOB_CONTROL = "aegis.job.control";
    /** Step changes, done/total, heartbeats and the worker's outcome. */
    public static final String JOB_PROGRESS = "aegis.job.progress";
    /** Tool output, one sanitized line per record. */
    public static final String JOB_LOG = "aegis.job.log";
    /** The authoritative job status, for artifact-service, log-stream-service and other lab systems. */
    public static final String JOB_STATE = "aegis.job.state";
    /** Jobs removed by retention; their artifacts go with them. */
    public static final String JOB_DELETED = "aegis.job.deleted";
    /** Artifact readiness. */
    public static final String ARTIFACT_STATE = "aegis.artifact.state";
    /**
     * Records a consumer could not process (unreadable, or failing after its retries), kept instead of
     * dropped: the record as it came, its key and headers (CloudEvents attributes included), and
     * {@code dead-letter-*} headers that name the topic, partition, offset and error.
     */
    public static final String DEAD_LETTER = "aegis.dead-letter";

    /** The topics whose records are Aegis events, each with a payload schema of its own. */
    public static final List<String> EVENTS =
            List.of(JOB_REQUESTED, JOB_CONTROL, JOB_PROGRESS, JOB_LOG, JOB_STATE, JOB_DELETED, ARTIFACT_STATE);

    /** Every topic: the events' and the dead letters'. */
    public static final List<String> ALL = List.of(JOB_REQUESTED, JOB_CONTROL, JOB_PROGRESS, JOB_LOG, JOB_STATE,
            JOB_DELETED, ARTIFACT_STATE, DEAD_LETTER);

    /** The CloudEvents {@code type} of a record on the given topic, e.g. {@code io.aegis.job.state}. */
    public static String cloudEventType(String topic) {
        return "io." + topic;
    }

    /**
     * Where the JSON Schema of a topic's payload is on the class path, and beside the AsyncAPI document
     * ({@code asyncapi/asyncapi.yaml}) that references it, e.g. {@code asyncapi/schemas/aegis.job.state.json}.
     */
    public static String schemaResource(String topic) {
        return "asyncapi/schemas/" + topic + ".json";
    }

    private Topics() {
    }
}
