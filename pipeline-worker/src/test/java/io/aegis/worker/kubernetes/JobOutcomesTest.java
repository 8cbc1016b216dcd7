package io.aegis.worker.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobOutcomesTest {

    private static final String UID = "0b6c5d4e-1111-4222-8333-944455556666";

    @Test
    void aCompleteJobSucceedsAndPointsAtItsPodForTheLog() {
        JobOutcome outcome = JobOutcomes.of(job("Complete", null, null), List.of(pod("p1", "Succeeded", exited(0, "Completed"))));
        assertThat(outcome).isEqualTo(new JobOutcome.Succeeded(Optional.of("p1")));
    }

    @Test
    void aPodKilledForMemoryFailsTheBatchWithItsReason() {
        JobOutcome outcome = JobOutcomes.of(job("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
                List.of(pod("p1", "Failed", exited(137, "OOMKilled"))));
        assertThat(outcome).isInstanceOfSatisfying(JobOutcome.Failed.class, failed -> {
            assertThat(failed.exitCode()).isEqualTo(137);
            assertThat(failed.message()).isEqualTo("OOMKilled (exit 137)");
            assertThat(failed.pod()).contains("p1");
            assertThat(failed.jobEnded()).isTrue();
        });
    }

    @Test
    void aToolThatExitedNonZeroGivesItsExitCodeAndTheKubeletsMessage() {
        ContainerStatus status = new ContainerStatusBuilder(exited(3, "Error")).editState().editTerminated()
                .withMessage("BLAST Database error: No alias or index file found\n").endTerminated().endState().build();
        JobOutcome outcome = JobOutcomes.of(job("Failed", "BackoffLimitExceeded", null), List.of(pod("p1", "Failed", status)));
        assertThat(outcome).isEqualTo(new JobOutcome.Failed(3,
                "Error (exit 3): BLAST Database error: No alias or index file found", Optional.of("p1"), true));
    }

    @Test
    void afterRetriesTheLastPodTellsHowTheJobFailed() {
        Pod first = withCreation(pod("p-early", "Failed", exited(1, "Error")), "2026-01-01T10:00:00Z");
        Pod last = withCreation(pod("p-late", "Failed", exited(2, "Error")), "2026-01-01T10:05:00Z");
        JobOutcome outcome = JobOutcomes.of(job("Failed", "BackoffLimitExceeded", null), List.of(last, first));
        assertThat(outcome).isInstanceOfSatisfying(JobOutcome.Failed.class, failed -> {
            assertThat(failed.exitCode()).isEqualTo(2);
            assertThat(failed.pod()).contains("p-late");
        });
    }

    @Test
    void anEvictedPodFailsTheJobWithoutAnExitCode() {
        Pod evicted = new PodBuilder(pod("p1", "Failed", null)).editStatus().withReason("Evicted")
                .withMessage("The node was low on resource: memory.").endStatus().build();
        JobOutcome outcome = JobOutcomes.of(job("Failed", "BackoffLimitExceeded", null), List.of(evicted));
        assertThat(outcome).isEqualTo(new JobOutcome.Failed(JobOutcomes.NO_EXIT_CODE,
                "The tool's pod ended: Evicted: The node was low on resource: memory.", Optional.of("p1"), true));
    }

    @Test
    void aFailedJobWithoutPodsSaysWhatTheClusterSaid() {
        JobOutcome outcome = JobOutcomes.of(job("Failed", "PodFailurePolicy", "Container tool for pod x failed"), List.of());
        assertThat(outcome).isEqualTo(new JobOutcome.Failed(JobOutcomes.NO_EXIT_CODE,
                "The Kubernetes Job failed: PodFailurePolicy: Container tool for pod x failed", Optional.empty(), true));
    }

    @Test
    void aJobPastItsDeadlineTimedOut() {
        JobOutcome outcome = JobOutcomes.of(job("Failed", "DeadlineExceeded", "Job was active longer than specified deadline"),
                List.of(pod("p1", "Failed", exited(137, "Error"))));
        assertThat(outcome).isEqualTo(new JobOutcome.TimedOut(
                "The tool ran past its deadline: Job was active longer than specified deadline", Optional.of("p1")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ErrImagePull", "ImagePullBackOff", "InvalidImageName", "CreateContainerConfigError"})
    void aPodThatCannotStartFailsTheTaskAtOnceAndLeavesTheJobToDelete(String reason) {
        ContainerStatus waiting = new ContainerStatusBuilder().withName("tool").withNewState().withNewWaiting()
                .withReason(reason).withMessage("Back-off pulling image \"ncbi/blast:nope\"").endWaiting().endState().build();
        JobOutcome outcome = JobOutcomes.of(job(null, null, null), List.of(pod("p1", "Pending", waiting)));
        assertThat(outcome).isEqualTo(new JobOutcome.Failed(JobOutcomes.NOT_STARTED,
                "The tool's container could not start: " + reason + ": Back-off pulling image \"ncbi/blast:nope\"",
                Optional.empty(), false));
    }

    @Test
    void aPodStillCreatingItsContainerIsRunning() {
        ContainerStatus waiting = new ContainerStatusBuilder().withName("tool").withNewState().withNewWaiting()
                .withReason("ContainerCreating").endWaiting().endState().build();
        assertThat(JobOutcomes.of(job(null, null, null), List.of(pod("p1", "Pending", waiting))))
                .isInstanceOf(JobOutcome.Running.class);
        assertThat(JobOutcomes.of(job(null, null, null), List.of())).isInstanceOf(JobOutcome.Running.class);
    }

    @Test
    void podsOfAnotherJobOfTheSameLabelsAreIgnored() {
        ContainerStatus waiting = new ContainerStatusBuilder().withName("tool").withNewState().withNewWaiting()
                .withReason("ImagePullBackOff").endWaiting().endState().build();
        Pod stranger = new PodBuilder(pod("old", "Pending", waiting)).editMetadata().editFirstOwnerReference()
                .withUid("another-uid").endOwnerReference().endMetadata().build();
        assertThat(JobOutcomes.of(job(null, null, null), List.of(stranger))).isInstanceOf(JobOutcome.Running.class);
    }

    @Test
    void aJobDeletedUnderTheWorkerEndsTheWaitAsAFailure() {
        assertThat(JobOutcomes.of(null, List.of())).isInstanceOfSatisfying(JobOutcome.Failed.class,
                failed -> assertThat(failed.message()).contains("deleted"));
    }

    @Test
    void aConditionThatIsNotTrueDoesNotEndTheJob() {
        Job job = new JobBuilder(job("Failed", "DeadlineExceeded", null)).editStatus().editFirstCondition()
                .withStatus("False").endCondition().endStatus().build();
        assertThat(JobOutcomes.of(job, List.of())).isInstanceOf(JobOutcome.Running.class);
    }

    private static Job job(String condition, String reason, String message) {
        JobBuilder job = new JobBuilder().withNewMetadata().withName("aegis-x-search-0-a1").withUid(UID).endMetadata();
        if (condition != null) {
            job.withNewStatus().addNewCondition().withType(condition).withStatus("True").withReason(reason)
                    .withMessage(message).endCondition().endStatus();
        }
        return job.build();
    }

    private static Pod pod(String name, String phase, ContainerStatus status) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name)
                .addNewOwnerReference().withKind("Job").withName("aegis-x-search-0-a1").withUid(UID).endOwnerReference()
                .endMetadata()
                .withNewStatus().withPhase(phase).endStatus();
        if (status != null) {
            pod.editStatus().withContainerStatuses(status).endStatus();
        }
        return pod.build();
    }

    private static Pod withCreation(Pod pod, String timestamp) {
        return new PodBuilder(pod).editMetadata().withCreationTimestamp(timestamp).endMetadata().build();
    }

    private static ContainerStatus exited(int code, String reason) {
        return new ContainerStatusBuilder().withName("tool").withNewState().withNewTerminated().withExitCode(code)
                .withReason(reason).endTerminated().endState().build();
    }
}
