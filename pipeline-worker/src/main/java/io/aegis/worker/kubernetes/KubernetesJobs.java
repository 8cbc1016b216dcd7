package io.aegis.worker.kubernetes;

import static io.aegis.pipelines.PodLabels.MANAGED_BY;
import static io.aegis.pipelines.PodLabels.MANAGER;
import static io.aegis.pipelines.PodLabels.JOB_ID;
import static io.aegis.pipelines.PodLabels.ATTEMPT;
import static io.aegis.pipelines.PodLabels.STEP;
import static io.aegis.pipelines.PodLabels.BATCH;

import io.aegis.worker.service.ToolExecutor.Task;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a task into the {@code batch/v1} Job that runs it: a pure function of the task and the
 * {@link JobSettings}, kept apart from the client so every rule here is tested without a cluster.
 *
 * <p>The artifact store's claim is mounted at the store's own path, so the absolute paths in a
 * command and the working directory mean the same file in the pod as in the worker.
 */
public final class KubernetesJobs {


    /** The one container of a tool pod. */
    public static final String CONTAINER = "tool";

    static final String STORE_VOLUME = "store";
    static final String TMP_VOLUME = "tmp";

    /** Kubernetes' bound for a label value, and for a Job name (it becomes its pods' {@code job-name} label). */
    static final int MAX_NAME = 63;

    private static final String PREFIX = "aegis-";
    private static final HexFormat HEX = HexFormat.of();

    private KubernetesJobs() {
    }

    /** The Job that runs {@code task}. */
    public static Job build(Task task, JobSettings settings) {
        Path workDir = task.workDir().toAbsolutePath().normalize();
        if (!workDir.startsWith(settings.storeRoot())) {
            throw new IllegalArgumentException("The work directory " + workDir + " is outside the artifact store "
                    + settings.storeRoot() + ", the only folder a tool pod sees");
        }
        Map<String, String> labels = labels(task);
        return new JobBuilder()
                .withNewMetadata()
                    .withName(name(task))
                    .withNamespace(settings.namespace())
                    .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                    .withBackoffLimit(settings.backoffLimit())
                    .withActiveDeadlineSeconds(deadlineSeconds(task))
                    .withTtlSecondsAfterFinished(Math.toIntExact(settings.ttlAfterFinished().toSeconds()))
                    .withNewTemplate()
                        .withNewMetadata()
                            .withLabels(labels)
                        .endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .withServiceAccountName(settings.serviceAccount().orElse(null))
                            // a tool has no business with the Kubernetes API
                            .withAutomountServiceAccountToken(false)
                            .withImagePullSecrets(settings.imagePullSecrets().stream()
                                    .map(LocalObjectReference::new).toList())
                            // Pod Security "restricted": the image's own non-root user, nothing more
                            .withNewSecurityContext()
                                .withRunAsNonRoot(true)
                                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                            .endSecurityContext()
                            .withContainers(container(task, workDir, settings))
                            .addNewVolume()
                                .withName(STORE_VOLUME)
                                .withNewPersistentVolumeClaim()
                                    .withClaimName(settings.storeClaim())
                                .endPersistentVolumeClaim()
                            .endVolume()
                            .addNewVolume()
                                .withName(TMP_VOLUME)
                                .withNewEmptyDir().endEmptyDir()
                            .endVolume()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    private static Container container(Task task, Path workDir, JobSettings settings) {
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(settings.image())
                .withImagePullPolicy(settings.imagePullPolicy().orElse(null))
                .withCommand(task.command())
                .withWorkingDir(workDir.toString())
                .withNewResources()
                    .addToRequests("cpu", new Quantity(settings.cpuRequest()))
                    .addToRequests("memory", new Quantity(settings.memoryRequest()))
                    .addToLimits("cpu", new Quantity(settings.cpuLimit()))
                    .addToLimits("memory", new Quantity(settings.memoryLimit()))
                .endResources()
                .withNewSecurityContext()
                    .withAllowPrivilegeEscalation(false)
                    .withReadOnlyRootFilesystem(true)
                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount()
                    .withName(STORE_VOLUME)
                    .withMountPath(settings.storeRoot().toString())
                .endVolumeMount()
                // a tool writes to its working directory on the store; /tmp is the only other place
                .addNewVolumeMount()
                    .withName(TMP_VOLUME)
                    .withMountPath("/tmp")
                .endVolumeMount()
                .build();
    }

    /**
     * The labels of the Job and of its pods: which job, attempt, step and batch it runs. A task
     * outside any job has no job id and attempt labels.
     */
    public static Map<String, String> labels(Task task) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, MANAGER);
        if (task.jobId() != null) {
            labels.put(JOB_ID, task.jobId().toString());
            labels.put(ATTEMPT, Integer.toString(task.attempt()));
        }
        labels.put(STEP, labelValue(task.step()));
        labels.put(BATCH, Integer.toString(task.batch()));
        return labels;
    }

    /**
     * The Job's name: {@code aegis-<job id, 32 hex digits>-<step>-<batch>-a<attempt>}, so two tasks
     * of different jobs never share a name and a look at {@code kubectl get jobs} tells which is
     * which. When the step had to be changed to fit DNS-1123 or the name ran past 63 characters, the
     * readable part is cut and a digest of the step, batch and attempt is appended, which keeps it
     * unique. A task outside any job has a digest of its step, command and working directory in
     * place of the job id.
     */
    public static String name(Task task) {
        String head = PREFIX + (task.jobId() != null
                ? task.jobId().toString().replace("-", "")
                : digest(task.step() + '\0' + String.join("\0", task.command()) + '\0' + task.workDir(), 12));
        String step = dnsLabel(task.step());
        String readable = head + "-" + step + "-" + task.batch() + "-a" + task.attempt();
        if (readable.length() <= MAX_NAME && step.equals(task.step())) {
            return readable;
        }
        String suffix = "-" + digest(task.step() + '\0' + task.batch() + '\0' + task.attempt(), 8);
        String cut = readable.substring(0, Math.min(readable.length(), MAX_NAME - suffix.length()));
        return trimEnd(cut, '-') + suffix;
    }

    /**
     * The task's timeout in whole seconds, rounded up and at least one: the cluster fails the Job
     * with {@code DeadlineExceeded} when it runs longer.
     */
    static long deadlineSeconds(Task task) {
        long millis = task.timeout().toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }

    /** Lower case letters, digits and inner dashes: a valid DNS-1123 label (before the length cut). */
    static String dnsLabel(String value) {
        String cleaned = value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        return cleaned.isEmpty() ? "task" : cleaned;
    }

    /**
     * A valid label value: at most 63 of {@code [A-Za-z0-9._-]}, starting and ending with a letter or
     * digit; anything else becomes a dash.
     */
    static String labelValue(String value) {
        String cleaned = value.replaceAll("[^A-Za-z0-9._-]", "-");
        cleaned = cleaned.substring(0, Math.min(cleaned.length(), MAX_NAME));
        return cleaned.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
    }

    private static String trimEnd(String value, char c) {
        int end = value.length();
        while (end > 0 && value.charAt(end - 1) == c) {
            end--;
        }
        return value.substring(0, end);
    }

    private static String digest(String value, int hexDigits) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(hash).substring(0, hexDigits);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
