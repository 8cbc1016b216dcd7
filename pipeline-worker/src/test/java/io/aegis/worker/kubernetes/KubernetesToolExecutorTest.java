package io.aegis.worker.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aegis.events.LogStream;
import io.aegis.testing.KubernetesApiCalls;
import io.aegis.testing.KubernetesApiCalls.Rule;
import io.aegis.worker.service.CancelSwitch;
import io.aegis.worker.service.Cancellation;
import io.aegis.worker.service.ToolExecutor;
import io.aegis.worker.service.ToolExecutor.Origin;
import io.aegis.worker.service.ToolExecutor.Result;
import io.aegis.worker.service.ToolExecutor.Task;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The executor against fabric8's mock API server. The server runs no controllers, so each test
 * plays the Job controller and the kubelet: it makes the Job's pod, writes the statuses and serves
 * the pod's log. Every request the executor makes is recorded, and the last test holds the Helm
 * chart's Role for the worker against them.
 */
@EnableKubernetesMockClient(crud = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesToolExecutorTest {

    private static final String NAMESPACE = "aegis";
    private static final Path STORE = Path.of("/var/lib/aegis/store");

    /** The mock server logs every request at INFO; held here so the level set on it stays. */
    private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_SERVER_LOG.setLevel(Level.WARNING);
    }

    /** The executor's client says who it is, so that its requests are told apart from the test's own. */
    private static final String WORKER_AGENT = "aegis-pipeline-worker";

    /** The permission each Kubernetes API request the executor made in this class needs. */
    private static final Set<Rule> CALLS = new ConcurrentSkipListSet<>();

    KubernetesMockServer server;
    KubernetesClient client;

    private KubernetesClient workerClient;
    private JobSettings settings;
    private KubernetesToolExecutor executor;
    private final List<ToolExecutor.Line> lines = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        settings = new JobSettings(NAMESPACE, "ncbi/blast:2.12.0", Optional.empty(), List.of(), STORE, "aegis-store",
                "1", "1", "1Gi", "2Gi", 0, Duration.ofHours(1), Optional.empty(), 10);
        workerClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withUserAgent(WORKER_AGENT).build()).build();
        // A client finds the model classes through the context class loader of the thread that first
        // reads a resource. Left to a pool thread, that may be a class loader a Quarkus test of this JVM
        // left behind: the model classes do not match, and every watch event is lost. Read one here,
        // with the model's own class loader.
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(KubernetesResource.class.getClassLoader());
        try {
            for (KubernetesClient each : List.of(client, workerClient)) {
                each.getKubernetesSerialization().unmarshal("{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}",
                        KubernetesResource.class);
            }
        } finally {
            thread.setContextClassLoader(before);
        }
        executor = new KubernetesToolExecutor(workerClient, settings);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        drainRequests();
        workerClient.close();
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
        // handed over before the run returned, once, with where it is in the pod's log
        assertThat(lines).containsExactly(new ToolExecutor.Line(LogStream.STDOUT,
                "Warning: [blastp] Query_1 ok: Composition-based score adjustments conditioned",
                new Origin("tool-ok/tool", 0)));
        assertThat(job(task)).as("a finished Job stays for inspection until its TTL").isNotNull();
    }

    @Test
    void everyLineOfAPodsLogReachesTheConsumerOnceInOrderWithItsOriginThoughItsLogBrokeOff() throws Exception {
        Task task = task(Duration.ofMinutes(5));
        CompletableFuture<Result> run = start(task, Cancellation.NONE);

        Job job = awaitJob(task);
        Pod pod = podFor(job, "tool-many");
        List<String> printed = IntStream.range(0, 25).mapToObj(i -> "Query_" + i + " searched").toList();
        // the connection drops after 12 lines while the tool runs; following again skips what was handed over
        server.expect().get().withPath(followPath(pod)).andReturn(200, stamped(printed.subList(0, 12))).once();
        serveLog(pod, String.join("\n", printed) + "\n");
        podStatus(pod, "Running", running());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lines).hasSize(25));
        podStatus(pod, "Succeeded", terminated(0, "Completed", null));
        jobCondition(job, "Complete", null, null);

        Result result = run.get(10, TimeUnit.SECONDS);
        assertThat(result.exitCode()).isZero();
        assertThat(lines).extracting(ToolExecutor.Line::text).containsExactlyElementsOf(printed);
        assertThat(lines).extracting(ToolExecutor.Line::origin).containsExactlyElementsOf(IntStream.range(0, 25)
                .mapToObj(i -> new Origin("tool-many/tool", i)).toList());
        assertThat(result.stderrTail()).as("the error tail is still the log's last lines")
                .isEqualTo(String.join("\n", printed.subList(15, 25)));
    }

    @Test
    void linesPrintedAfterTheWatchLastLookedAreHandedOverBeforeTheRunReturns() throws Exception {
        Task task = task(Duration.ofMinutes(5));
        CompletableFuture<Result> run = start(task, Cancellation.NONE);

        Job job = awaitJob(task);
        Pod pod = podFor(job, "tool-quick");
        serveLog(pod, "one\ntwo\nthree\n");
        // the pod runs and ends at once: the run returns with its whole log handed over, not a line missing
        podStatus(pod, "Succeeded", terminated(0, "Completed", null));
        jobCondition(job, "Complete", null, null);

        assertThat(run.get(10, TimeUnit.SECONDS).exitCode()).isZero();
        assertThat(lines).extracting(ToolExecutor.Line::text).containsExactly("one", "two", "three");
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
        Pod pod = podFor(job, "tool-long");
        serveLog(pod, "searching\n");
        podStatus(pod, "Running", running());
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.size() == 1);
        long cancelled = System.nanoTime();
        cancel.fire();

        Result result = run.get(2, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - cancelled)).isLessThan(Duration.ofSeconds(2));
        assertThat(result.exitCode()).isNotZero();
        assertThat(job(task)).isNull();
        // the pod's log is no longer followed (it would be again each second, the container still running)
        assertNoLongerFollowed(pod);
        assertThat(lines).hasSize(1);
    }

    @Test
    void aTaskPastItsTimeoutIsStoppedAndItsJobDeleted() throws Exception {
        Task task = task(Duration.ofSeconds(1));
        CompletableFuture<Result> run = start(task, Cancellation.NONE);

        Job job = awaitJob(task);
        Pod pod = podFor(job, "tool-slow");
        serveLog(pod, "still searching\n");
        podStatus(pod, "Running", running());

        Result result = run.get(10, TimeUnit.SECONDS);
        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderrTail()).contains("timeout").endsWith("still searching");
        assertThat(job(task)).isNull();
        assertNoLongerFollowed(pod);
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

    /**
     * What the chart grants the worker's service account is exactly what the executor calls: a verb
     * missing would be a 403 in a cluster, a verb too many more privilege than it needs.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void theChartsRoleForTheWorkerGrantsExactlyTheKubernetesCallsOfTheseRuns() throws Exception {
        assertThat(CALLS).as("the calls recorded by the other tests of this class (run the whole class)").isNotEmpty();
        assertThat(KubernetesApiCalls.chartRole("pipeline-worker", Map.of("pipelineWorker.executor", "kubernetes")))
                .as("the worker's Role in the chart (actual) against the calls the executor made (expected)")
                .containsExactlyInAnyOrderElementsOf(CALLS);
    }

    // --- the test as controller and kubelet ---

    /** Takes the requests the server has recorded: the executor's are kept as the permissions they need. */
    private void drainRequests() throws InterruptedException {
        RecordedRequest request;
        while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            if (!WORKER_AGENT.equals(request.getHeader("User-Agent"))) {
                continue;
            }
            Rule rule = KubernetesApiCalls.rule(request.getMethod(), request.getPath());
            CALLS.add(rule);
            if (rule.resource().equals("pods/log")) {
                logRequestsByPod.merge(request.getPath().split("/")[6], 1, Integer::sum);
            }
        }
    }

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

    /**
     * The kubelet's log, which the mock server does not keep: followed with timestamps from the
     * start, and its last lines read for the error.
     */
    private void serveLog(Pod pod, String log) {
        server.expect().get().withPath(followPath(pod)).andReturn(200, stamped(log.lines().toList())).always();
        server.expect().get().withPath(logPath(pod) + "?pretty=false&tailLines=10")
                .andReturn(200, String.join("\n", tail(log.lines().toList(), 10)) + (log.isEmpty() ? "" : "\n")).always();
    }

    private static String logPath(Pod pod) {
        return "/api/v1/namespaces/" + NAMESPACE + "/pods/" + pod.getMetadata().getName() + "/log";
    }

    private static String followPath(Pod pod) {
        return logPath(pod) + "?pretty=false&container=tool&timestamps=true&follow=true";
    }

    /** The lines as the kubelet gives them with timestamps. */
    private static String stamped(List<String> lines) {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            log.append(Instant.parse("2026-12-02T10:00:00Z").plusMillis(i)).append(' ').append(lines.get(i)).append('\n');
        }
        return log.toString();
    }

    private static List<String> tail(List<String> lines, int count) {
        return lines.subList(Math.max(0, lines.size() - count), lines.size());
    }

    private final Map<String, Integer> logRequestsByPod = new HashMap<>();

    /** How often the pod's log has been asked for so far (every request the executor made is recorded on the way). */
    private int logRequests(Pod pod) throws InterruptedException {
        drainRequests();
        return logRequestsByPod.getOrDefault(pod.getMetadata().getName(), 0);
    }

    /** No request for the pod's log comes any more, though its container still runs and a follower would ask again. */
    private void assertNoLongerFollowed(Pod pod) throws InterruptedException {
        Thread.sleep(300); // a request sent as following stopped lands first
        int asked = logRequests(pod);
        Thread.sleep(1500);
        assertThat(logRequests(pod)).as("requests for the log of %s", pod.getMetadata().getName()).isEqualTo(asked);
    }

    private static ContainerStatus running() {
        return new ContainerStatusBuilder().withName("tool").withNewState().withNewRunning().endRunning().endState()
                .build();
    }

    private static ContainerStatus terminated(int exitCode, String reason, String message) {
        return new ContainerStatusBuilder().withName("tool").withNewState().withNewTerminated().withExitCode(exitCode)
                .withReason(reason).withMessage(message).endTerminated().endState().build();
    }
}
