package io.aegis.worker.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.events.LogStream;
import io.aegis.worker.service.CancelSwitch;
import io.aegis.worker.service.Cancellation;
import io.aegis.worker.service.ToolExecutor;
import io.aegis.worker.service.ToolExecutor.Result;
import io.aegis.worker.service.ToolExecutor.Task;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The executor against fabric8's mock API server. The server runs no controllers, so each test
 * plays the Job controller and the kubelet: it makes the Job's pod and writes the statuses.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesToolExecutorTest {

    private static final String NAMESPACE = "aegis";
    private static final Path STORE = Path.of("/var/lib/aegis/store");

    /** The mock server logs every request at INFO; held here so the level set on it stays. */
    private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_SERVER_LOG.setLevel(Level.WARNING);
    }

    KubernetesMockServer server;
    KubernetesClient client;

    private JobSettings settings;
    private KubernetesToolExecutor executor;
    private final List<ToolExecutor.Line> lines = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        settings = new JobSettings(NAMESPACE, "ncbi/blast:2.12.0", Optional.empty(), List.of(), STORE, "aegis-store",
                "1", "1", "1Gi", "2Gi", 0, Duration.ofHours(1), Optional.empty(), 10);
        executor = new KubernetesToolExecutor(client, settings);
    }

    @Test
    void aBatchRunsAsALabelledJobInTheConfiguredNamespaceAndSucceeds() throws Exception {
        Task task = task(Duration.ofMinutes(5));
        CompletableFuture<Result> run = start(task, Cancellation.NONE);

        Job job = awaitJob(task);
        assertThat(job.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(job.getMetadata().getLabels()).containsEntry("aegis.io/job-id", task.jobId().toString())
                .containsEntry("aegis.io/step", "search").containsEntry("aegis.io/batch", "3")
                .containsEntry("aegis.io/attempt", "1").containsEntry("app.kubernetes.io/managed-by", "aegis");
        Pod pod = podFor(job, "tool-ok");
        serveLog(pod, "Warning: [blastp] Query_1 ok: Composition-based score adjustments conditioned\n");
        podStatus(pod, "Succeeded", terminated(0, "Completed", null));
        jobCondition(job, "Complete", null, null);

        Result result = run.get(10, TimeUnit.SECONDS);
        assertThat(result.exitCode()).isZero();
        assertThat(result.timedOut()).isFalse();
        assertThat(lines).containsExactly(new ToolExecutor.Line(LogStream.STDERR,
                "Warning: [blastp] Query_1 ok: Composition-based score adjustments conditioned"));
        assertThat(job(task)).as("a finished Job stays for inspection until its TTL").isNotNull();
    }

    @Test
    void aFailedPodGivesItsExitCodeReasonAndTheLastLinesOfItsLog() throws Exception {
        Task task = task(Duration.ofMinutes(5));
        CompletableFuture<Result> run = start(task, Cancellation.NONE);

        Job job = awaitJob(task);
        Pod pod = podFor(job, "tool-bad");
        serveLog(pod, "BLAST Database error: No alias or index file found for protein database [testdb]\n");
        podStatus(pod, "Failed", terminated(3, "Error", null));
        jobCondition(job, "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");

        Result result = run.get(10, TimeUnit.SECONDS);
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.timedOut()).isFalse();
        assertThat(result.stderrTail()).isEqualTo("Error (exit 3)\n"
                + "BLAST Database error: No alias or index file found for protein database [testdb]");
    }

    @Test
    void aPodKilledForMemoryFailsTheBatchWithItsReason() throws Exception {
        Task task = task(Duration.ofMinutes(5));
        CompletableFuture<Result> run = start(task, Cancellation.NONE);

        Job job = awaitJob(task);
        Pod pod = podFor(job, "tool-oom");
        serveLog(pod, "");
        podStatus(pod, "Failed", terminated(137, "OOMKilled", null));
        jobCondition(job, "Failed", "BackoffLimitExceeded", null);

        Result result = run.get(10, TimeUnit.SECONDS);
        assertThat(result.exitCode()).isEqualTo(137);
        assertThat(result.stderrTail()).isEqualTo("OOMKilled (exit 137)");
    }

    @Test
    void anImageThatCannotBePulledFailsTheTaskAtOnceAndItsJobIsDeleted() throws Exception {
        Task task = task(Duration.ofMinutes(5));
        long started = System.nanoTime();
        CompletableFuture<Result> run = start(task, Cancellation.NONE);

        Job job = awaitJob(task);
        Pod pod = podFor(job, "tool-pull");
        podStatus(pod, "Pending", new ContainerStatusBuilder().withName("tool").withNewState().withNewWaiting()
                .withReason("ImagePullBackOff").withMessage("Back-off pulling image \"ncbi/blast:2.12.0\"")
                .endWaiting().endState().build());

        Result result = run.get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(result.exitCode()).isEqualTo(JobOutcomes.NOT_STARTED);
        assertThat(result.stderrTail()).isEqualTo(
                "The tool's container could not start: ImagePullBackOff: Back-off pulling image \"ncbi/blast:2.12.0\"");
        assertThat(job(task)).isNull();
    }

    @Test
    void cancelDeletesTheJobAndReturnsWithinTwoSeconds() throws Exception {
        Task task = task(Duration.ofMinutes(5));
        CancelSwitch cancel = new CancelSwitch();
        CompletableFuture<Result> run = start(task, cancel);

        Job job = awaitJob(task);
        podStatus(podFor(job, "tool-long"), "Running", new ContainerStatusBuilder().withName("tool").withNewState()
                .withNewRunning().endRunning().endState().build());
        long cancelled = System.nanoTime();
        cancel.fire();

        Result result = run.get(2, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - cancelled)).isLessThan(Duration.ofSeconds(2));
        assertThat(result.exitCode()).isNotZero();
        assertThat(job(task)).isNull();
    }

    @Test
    void aTaskPastItsTimeoutIsStoppedAndItsJobDeleted() throws Exception {
        Task task = task(Duration.ofSeconds(1));
        CompletableFuture<Result> run = start(task, Cancellation.NONE);

        Job job = awaitJob(task);
        Pod pod = podFor(job, "tool-slow");
        serveLog(pod, "still searching\n");
        podStatus(pod, "Running", new ContainerStatusBuilder().withName("tool").withNewState()
                .withNewRunning().endRunning().endState().build());

        Result result = run.get(10, TimeUnit.SECONDS);
        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderrTail()).contains("timeout").endsWith("still searching");
        assertThat(job(task)).isNull();
    }

    @Test
    void aJobTheClusterStoppedAtItsDeadlineTimedOut() throws Exception {
        Task task = task(Duration.ofMinutes(5));
        CompletableFuture<Result> run = start(task, Cancellation.NONE);

        Job job = awaitJob(task);
        jobCondition(job, "Failed", "DeadlineExceeded", "Job was active longer than specified deadline");

        Result result = run.get(10, TimeUnit.SECONDS);
        assertThat(result.timedOut()).isTrue();
        assertThat(result.stderrTail()).contains("Job was active longer than specified deadline");
        assertThat(job(task)).isNull();
    }

    @Test
    void aJobLeftFromAnEarlierRunOfTheSameTaskIsReplaced() throws Exception {
        Task task = task(Duration.ofMinutes(5));
        Job stale = client.batch().v1().jobs().inNamespace(NAMESPACE)
                .resource(KubernetesJobs.build(task, settings)).create();
        podStatus(podFor(stale, "tool-stale"), "Failed", terminated(1, "Error", null));

        CompletableFuture<Result> run = start(task, Cancellation.NONE);
        Job fresh = awaitJob(task, job -> !job.getMetadata().getUid().equals(stale.getMetadata().getUid()));
        podStatus(podFor(fresh, "tool-fresh"), "Succeeded", terminated(0, "Completed", null));
        jobCondition(fresh, "Complete", null, null);

        assertThat(run.get(10, TimeUnit.SECONDS).exitCode()).isZero();
    }

    // --- the test as controller and kubelet ---

    private Task task(Duration timeout) {
        UUID jobId = UUID.randomUUID();
        Path scratch = STORE.resolve("scratch/" + jobId + "-1");
        return new Task(jobId, 1, "search", 3, List.of("blastp", "-query", scratch.resolve("batch-0003.fa").toString(),
                "-db", STORE.resolve("databases/testdb/testdb").toString(), "-out",
                scratch.resolve("batch-0003.tsv").toString()), scratch, timeout);
    }

    private CompletableFuture<Result> start(Task task, Cancellation cancellation) {
        return CompletableFuture.supplyAsync(() -> executor.run(task, lines::add, cancellation));
    }

    private Job job(Task task) {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).withName(KubernetesJobs.name(task)).get();
    }

    private Job awaitJob(Task task) {
        return awaitJob(task, job -> true);
    }

    private Job awaitJob(Task task, Predicate<Job> which) {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).withName(KubernetesJobs.name(task))
                .waitUntilCondition(job -> job != null && which.test(job), 10, TimeUnit.SECONDS);
    }

    /** The pod the Job controller would make: the template's labels and spec, owned by the Job. */
    private Pod podFor(Job job, String name) {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(NAMESPACE)
                    .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
                    .addNewOwnerReference()
                        .withApiVersion("batch/v1").withKind("Job").withName(job.getMetadata().getName())
                        .withUid(job.getMetadata().getUid()).withController(true)
                    .endOwnerReference()
                .endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .build();
        return client.pods().inNamespace(NAMESPACE).resource(pod).create();
    }

    private void podStatus(Pod pod, String phase, ContainerStatus status) {
        client.pods().inNamespace(NAMESPACE).withName(pod.getMetadata().getName()).editStatus(current ->
                new PodBuilder(current).withNewStatus().withPhase(phase).withContainerStatuses(status).endStatus().build());
    }

    private void jobCondition(Job job, String type, String reason, String message) {
        client.batch().v1().jobs().inNamespace(NAMESPACE).withName(job.getMetadata().getName()).editStatus(current ->
                new JobBuilder(current).withNewStatus().addNewCondition().withType(type).withStatus("True")
                        .withReason(reason).withMessage(message).endCondition().endStatus().build());
    }

    /** The kubelet's log, which the mock server does not keep: served for the executor's tail request. */
    private void serveLog(Pod pod, String log) {
        server.expect().get().withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + pod.getMetadata().getName()
                + "/log?pretty=false&tailLines=10").andReturn(200, log).always();
    }

    private static ContainerStatus terminated(int exitCode, String reason, String message) {
        return new ContainerStatusBuilder().withName("tool").withNewState().withNewTerminated().withExitCode(exitCode)
                .withReason(reason).withMessage(message).endTerminated().endState().build();
    }
}
