package io.aegis.pipelines;

/**
 * The labels the worker's Kubernetes executor puts on every Job and pod it makes, and by which
 * log-stream-service finds a job's pods: one definition for both sides.
 */
public final class PodLabels {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "aegis";
    public static final String JOB_ID = "aegis.io/job-id";
    public static final String ATTEMPT = "aegis.io/attempt";
    public static final String STEP = "aegis.io/step";
    public static final String BATCH = "aegis.io/batch";

    private PodLabels() {
    }
}
