package io.aegis.worker.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a tool's outcome from its Job and the Job's pods: a pure function, so that each way a pod
 * can end is tested without a cluster. The Job's conditions say whether it has ended; the pods
 * say how (exit code, {@code OOMKilled}) and whether it never will (an image that cannot be
 * pulled leaves the pod waiting until the deadline, so the worker gives up at once instead).
 */
public final class JobOutcomes {

    /** The exit code of a tool whose container never started, as {@code docker run} reports it. */
    public static final int NOT_STARTED = 125;

    /** The exit code of a tool whose pod ended without one: evicted, deleted, its node lost. */
    public static final int NO_EXIT_CODE = 255;

    /**
     * Waiting reasons that no amount of waiting cures: the image's name or pull, or the container's
     * configuration (a missing Secret or ConfigMap) are wrong.
     */
    static final Set<String> CANNOT_START = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "ErrImageNeverPull", "CreateContainerConfigError");

    private static final String TRUE = "True";

    private JobOutcomes() {
    }

    /**
     * The outcome of {@code job}, using those of {@code pods} it owns (other pods, such as those of
     * an earlier Job of the same name, are ignored).
     *
     * @param job null when the Job is gone, which ends the wait as a failure
     */
    public static JobOutcome of(Job job, List<Pod> pods) {
        if (job == null) {
            return new JobOutcome.Failed(NO_EXIT_CODE, "The Kubernetes Job was deleted before it finished",
                    Optional.empty(), true);
        }
        List<Pod> owned = owned(job, pods);
        JobStatus status = job.getStatus();
        if (hasCondition(status, "Complete", "SuccessCriteriaMet")
                || (status != null && status.getSucceeded() != null && status.getSucceeded() > 0)) {
            return new JobOutcome.Succeeded(latest(owned.stream().filter(p -> "Succeeded".equals(phase(p))))
                    .or(() -> latest(owned.stream())).map(JobOutcomes::name));
        }
        Optional<JobCondition> failed = condition(status, "Failed", "FailureTarget");
        if (failed.isPresent()) {
            return ended(failed.get(), owned);
        }
        return owned.stream()
                .flatMap(pod -> waiting(pod).filter(w -> CANNOT_START.contains(w.getReason()))
                        .map(w -> (JobOutcome) new JobOutcome.Failed(NOT_STARTED,
                                "The tool's container could not start: " + reasonAndMessage(w.getReason(),
                                        w.getMessage()), Optional.empty(), false))
                        .stream())
                .findFirst()
                .orElseGet(JobOutcome.Running::new);
    }

    /** A Job the cluster marked failed: past its deadline, or its last pod failed. */
    private static JobOutcome ended(JobCondition failed, List<Pod> owned) {
        Optional<Pod> last = latest(owned.stream().filter(p -> "Failed".equals(phase(p))))
                .or(() -> latest(owned.stream()));
        Optional<String> pod = last.map(JobOutcomes::name);
        if ("DeadlineExceeded".equals(failed.getReason())) {
            return new JobOutcome.TimedOut("The tool ran past its deadline"
                    + (isBlank(failed.getMessage()) ? "" : ": " + failed.getMessage()), pod);
        }
        Optional<ContainerStateTerminated> terminated = last.flatMap(JobOutcomes::terminated);
        if (terminated.isPresent() && terminated.get().getExitCode() != null && terminated.get().getExitCode() != 0) {
            ContainerStateTerminated t = terminated.get();
            return new JobOutcome.Failed(t.getExitCode(), reasonAndMessage(
                    Objects.requireNonNullElse(t.getReason(), "Error") + " (exit " + t.getExitCode() + ")",
                    t.getMessage()), pod, true);
        }
        String why = last.map(p -> p.getStatus() == null ? null : p.getStatus().getReason())
                .filter(r -> !isBlank(r))
                .map(r -> reasonAndMessage("The tool's pod ended: " + r, last.get().getStatus().getMessage()))
                .orElseGet(() -> reasonAndMessage("The Kubernetes Job failed: "
                        + Objects.requireNonNullElse(failed.getReason(), "Failed"), failed.getMessage()));
        return new JobOutcome.Failed(NO_EXIT_CODE, why, pod, true);
    }

    /** The pod of {@code job} created last, if it has any. */
    public static Optional<String> latestPod(Job job, List<Pod> pods) {
        return latest(owned(job, pods).stream()).map(JobOutcomes::name);
    }

    /** The pods {@code job} owns; all of them when the Job has no uid yet (it was never stored). */
    static List<Pod> owned(Job job, List<Pod> pods) {
        String uid = job.getMetadata().getUid();
        return pods.stream()
                .filter(pod -> uid == null || ownerUids(pod).anyMatch(uid::equals))
                .toList();
    }

    private static Stream<String> ownerUids(Pod pod) {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        return owners == null ? Stream.empty() : owners.stream().map(OwnerReference::getUid);
    }

    private static boolean hasCondition(JobStatus status, String... types) {
        return condition(status, types).isPresent();
    }

    private static Optional<JobCondition> condition(JobStatus status, String... types) {
        if (status == null || status.getConditions() == null) {
            return Optional.empty();
        }
        Set<String> wanted = Set.of(types);
        return status.getConditions().stream()
                .filter(c -> wanted.contains(c.getType()) && TRUE.equals(c.getStatus()))
                .findFirst();
    }

    private static Optional<ContainerStatus> toolStatus(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
        return statuses.stream().filter(s -> KubernetesJobs.CONTAINER.equals(s.getName())).findFirst()
                .or(() -> statuses.stream().findFirst());
    }

    private static Optional<ContainerStateWaiting> waiting(Pod pod) {
        return toolStatus(pod).map(ContainerStatus::getState).map(s -> s.getWaiting());
    }

    private static Optional<ContainerStateTerminated> terminated(Pod pod) {
        return toolStatus(pod).flatMap(s -> Optional.ofNullable(s.getState()).map(st -> st.getTerminated())
                .or(() -> Optional.ofNullable(s.getLastState()).map(st -> st.getTerminated())));
    }

    /** The pod created last (by creation time, then name): after a retry, the one that counts. */
    private static Optional<Pod> latest(Stream<Pod> pods) {
        return pods.max(Comparator
                .comparing((Pod p) -> Objects.requireNonNullElse(p.getMetadata().getCreationTimestamp(), ""))
                .thenComparing(JobOutcomes::name));
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    private static String name(Pod pod) {
        return pod.getMetadata().getName();
    }

    private static String reasonAndMessage(String reason, String message) {
        return isBlank(message) ? reason : reason + ": " + message.strip();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
