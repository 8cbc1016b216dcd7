package io.aegis.worker.kubernetes;

import io.aegis.worker.config.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a tool's Job is built from besides the task itself, resolved once from configuration,
 * so that {@link KubernetesJobs} stays a pure function of (task, settings).
 *
 * @param namespace         where the Jobs go
 * @param storeRoot         the artifact store's absolute path, in the worker and in every tool pod
 * @param storeClaim        the PersistentVolumeClaim holding the store
 * @param imagePullPolicy   {@code Always}, {@code IfNotPresent}, {@code Never}, or empty for the cluster's default
 * @param ttlAfterFinished  how long the cluster keeps a finished Job
 * @param serviceAccount    the pods' service account, or empty for the namespace's default
 * @param logTailLines      lines of a pod's log read when it ends
 */
public record JobSettings(String namespace, String image, Optional<String> imagePullPolicy,
                          List<String> imagePullSecrets, Path storeRoot, String storeClaim,
                          String cpuRequest, String cpuLimit, String memoryRequest, String memoryLimit,
                          int backoffLimit, Duration ttlAfterFinished, Optional<String> serviceAccount,
                          int logTailLines) {

    /** The namespace a client falls back to when neither configuration nor kubeconfig names one. */
    static final String DEFAULT_NAMESPACE = "default";

    public JobSettings {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(imagePullPolicy, "imagePullPolicy");
        imagePullSecrets = List.copyOf(imagePullSecrets);
        if (!storeRoot.isAbsolute()) {
            throw new IllegalArgumentException("the store root must be an absolute path: " + storeRoot);
        }
        storeRoot = storeRoot.normalize();
        Objects.requireNonNull(storeClaim, "storeClaim");
        if (backoffLimit < 0) {
            throw new IllegalArgumentException("backoff-limit must not be negative: " + backoffLimit);
        }
        if (ttlAfterFinished.isNegative()) {
            throw new IllegalArgumentException("ttl-after-finished must not be negative: " + ttlAfterFinished);
        }
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        if (logTailLines < 0) {
            throw new IllegalArgumentException("log-tail-lines must not be negative: " + logTailLines);
        }
    }

    /**
     * The settings configuration gives, the namespace falling back to {@code clientNamespace} (from
     * kubeconfig or the pod's service account), then to {@code default}.
     */
    public static JobSettings of(WorkerConfig config, String clientNamespace) {
        WorkerConfig.Kubernetes k8s = config.worker().kubernetes();
        String namespace = k8s.namespace().filter(n -> !n.isBlank())
                .or(() -> Optional.ofNullable(clientNamespace).filter(n -> !n.isBlank()))
                .orElse(DEFAULT_NAMESPACE);
        return new JobSettings(namespace, k8s.image(), k8s.imagePullPolicy(), k8s.imagePullSecrets().orElse(List.of()),
                config.store().root().toAbsolutePath(), k8s.storeClaim(), k8s.cpuRequest(), k8s.cpuLimit(),
                k8s.memoryRequest(), k8s.memoryLimit(), k8s.backoffLimit(), k8s.ttlAfterFinished(),
                k8s.serviceAccount(), k8s.logTailLines());
    }
}
