package io.aegis.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aegis.pipelines.PodLabels;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The follower against fabric8's mock API server. The server runs no kubelet: each test makes the
 * pods, writes their container statuses and serves their logs through expectations.
 */
@EnableKubernetesMockClient(crud = true)
class PodLogFollowerTest {

    private static final String NAMESPACE = "aegis-jobs";

    /** The mock server logs every request at INFO; held here so the level set on it stays. */
    private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_SERVER_LOG.setLevel(Level.WARNING);
    }

    KubernetesMockServer server;
    KubernetesClient client;

    private final UUID job = UUID.randomUUID();
    private final List<PodLogLine> lines = new CopyOnWriteArrayList<>();
    private PodLogFollower follower;

    @BeforeEach
    void setUp() {
        follower = new PodLogFollower(client, NAMESPACE, PodLogFollower.jobPods(job), lines::add);
    }

    @AfterEach
    void tearDown() {
        follower.close();
    }

    @Test
    void everyContainerOfTheJobsPodsIsFollowedInOrderWithTimestampsAndIndices() throws Exception {
        Pod pod = pod("aegis-job-search-1-x7k2p", labels(job), "tool", "sidecar");
        status(pod, "Succeeded", terminated("tool"), terminated("sidecar"));
        serveLog(pod, "tool", """
                2026-12-02T10:00:00.100000000Z Searching 3 queries
                2026-12-02T10:00:01.2Z \u001B[33mWarning\u001B[0m: token=abc123
                2026-12-02T10:00:02Z done
                """);
        serveLog(pod, "sidecar", """
                2026-12-02T10:00:00.5Z sidecar up
                no timestamp here
                """);
        // in the same namespace: another job's pod, and a pod that names the job but is not the worker's
        Pod other = pod("aegis-other-search-1-abcde", labels(UUID.randomUUID()), "tool");
        status(other, "Succeeded", terminated("tool"));
        serveLog(other, "tool", "2026-12-02T10:00:00Z another job's line\n");
        Map<String, String> foreign = new LinkedHashMap<>(labels(job));
        foreign.remove(PodLabels.MANAGED_BY);
        Pod stranger = pod("not-the-workers", foreign, "tool");
        status(stranger, "Succeeded", terminated("tool"));
        serveLog(stranger, "tool", "2026-12-02T10:00:00Z not the worker's line\n");

        follower.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> lines.size() == 5 && follower.following() == 0);
        assertThat(from("aegis-job-search-1-x7k2p/tool")).containsExactly(
                new PodLogLine("aegis-job-search-1-x7k2p", "tool", 1, "search", 0,
                        Instant.parse("2026-12-02T10:00:00.1Z"), "Searching 3 queries"),
                new PodLogLine("aegis-job-search-1-x7k2p", "tool", 1, "search", 1,
                        Instant.parse("2026-12-02T10:00:01.2Z"), "Warning: token=***"),
                new PodLogLine("aegis-job-search-1-x7k2p", "tool", 1, "search", 2,
                        Instant.parse("2026-12-02T10:00:02Z"), "done"));
        assertThat(from("aegis-job-search-1-x7k2p/sidecar")).containsExactly(
                new PodLogLine("aegis-job-search-1-x7k2p", "sidecar", 1, "search", 0,
                        Instant.parse("2026-12-02T10:00:00.5Z"), "sidecar up"),
                new PodLogLine("aegis-job-search-1-x7k2p", "sidecar", 1, "search", 1, null, "no timestamp here"));
        assertThat(logRequests()).as("only the job's own pod's logs are asked for")
                .allMatch(path -> path.startsWith("/api/v1/namespaces/" + NAMESPACE + "/pods/aegis-job-search-1-x7k2p/log"))
                .isNotEmpty();
    }

    @Test
    void aPodOfALaterStepIsFollowedWhenItAppearsAndAContainerOnlyOnceItRuns() throws Exception {
        follower.start();
        Thread.sleep(300);

        Pod pod = pod("aegis-job-merge-1-q9w8e", labels(job), "tool");
        status(pod, "Pending", waiting("tool"));
        serveLog(pod, "tool", "2026-12-02T10:05:00Z merging\n");
        Thread.sleep(500);
        assertThat(lines).isEmpty();
        assertThat(follower.following()).isZero();

        status(pod, "Running", running("tool"));
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.size() == 1);
        assertThat(lines.getFirst().text()).isEqualTo("merging");
        assertThat(lines.getFirst().source()).isEqualTo("aegis-job-merge-1-q9w8e/tool");

        status(pod, "Succeeded", terminated("tool"));
        await().atMost(Duration.ofSeconds(10)).until(() -> follower.following() == 0);
        assertThat(lines).hasSize(1);
    }

    @Test
    void aLogThatBreaksOffWhileItsContainerRunsIsFollowedAgainWithoutRepeatingALine() throws Exception {
        Pod pod = pod("aegis-job-search-2-r4t5y", labels(job), "tool");
        status(pod, "Running", running("tool"));
        server.expect().get().withPath(logPath(pod, "tool"))
                .andReturn(200, "2026-12-02T10:00:00Z one\n2026-12-02T10:00:01Z two\n").once();
        serveLog(pod, "tool", "2026-12-02T10:00:00Z one\n2026-12-02T10:00:01Z two\n2026-12-02T10:00:02Z three\n");

        follower.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> lines.size() >= 3);
        status(pod, "Succeeded", terminated("tool"));
        await().atMost(Duration.ofSeconds(10)).until(() -> follower.following() == 0);
        assertThat(lines).extracting(PodLogLine::index).containsExactly(0L, 1L, 2L);
        assertThat(lines).extracting(PodLogLine::text).containsExactly("one", "two", "three");
    }

    @Test
    void closeStopsTheWatchAndEveryContainerBeingFollowed() throws Exception {
        Pod pod = pod("aegis-job-search-3-u7i8o", labels(job), "tool");
        status(pod, "Running", running("tool"));
        // a server slow to answer: the container is still being followed when the follower closes
        server.expect().get().delay(2, TimeUnit.SECONDS).withPath(logPath(pod, "tool"))
                .andReturn(200, "2026-12-02T10:00:00Z late\n").always();
        follower.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> follower.following() == 1);
        long closed = System.nanoTime();

        follower.close();

        await().atMost(Duration.ofSeconds(1)).until(() -> follower.following() == 0);
        Pod later = pod("aegis-job-search-4-p0o9i", labels(job), "tool");
        status(later, "Succeeded", terminated("tool"));
        serveLog(later, "tool", "2026-12-02T10:00:00Z after close\n");
        // the slow answer comes after all, and is closed unread
        Thread.sleep(Math.max(0, 3000 - Duration.ofNanos(System.nanoTime() - closed).toMillis()));
        assertThat(follower.following()).isZero();
        assertThat(lines).isEmpty();
    }

    @Test
    void aNarrowerSelectorFollowsOnlyThePodsOfOneTask() throws Exception {
        Map<String, String> batch3 = new LinkedHashMap<>(labels(job));
        batch3.put(PodLabels.BATCH, "3");
        Map<String, String> batch4 = new LinkedHashMap<>(labels(job));
        batch4.put(PodLabels.BATCH, "4");
        Pod mine = pod("aegis-job-search-3-m1n3x", batch3, "tool");
        status(mine, "Succeeded", terminated("tool"));
        serveLog(mine, "tool", "2026-12-02T10:00:00Z batch 3\n");
        Pod theirs = pod("aegis-job-search-4-th31r", batch4, "tool");
        status(theirs, "Succeeded", terminated("tool"));
        serveLog(theirs, "tool", "2026-12-02T10:00:00Z batch 4\n");
        follower.close();
        follower = new PodLogFollower(client, NAMESPACE, batch3, lines::add);

        follower.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> lines.size() == 1 && follower.following() == 0);
        Thread.sleep(300);
        assertThat(lines).extracting(PodLogLine::text).containsExactly("batch 3");
    }

    @Test
    void finishReadsAnEndedContainerToItsLastLineThoughTheWatchHasNotSeenItEnd() throws Exception {
        Pod pod = pod("aegis-job-search-5-f1n1s", labels(job), "tool");
        status(pod, "Running", running("tool"));
        serveLog(pod, "tool", "2026-12-02T10:00:00Z one\n2026-12-02T10:00:01Z two\n2026-12-02T10:00:02Z last");
        // the pod as its owner saw it end, before the watch has
        Pod ended = new PodBuilder(pod).withNewStatus().withPhase("Succeeded").withContainerStatuses(terminated("tool"))
                .endStatus().build();
        long started = System.nanoTime();

        boolean complete = follower.finish(List.of(ended), Duration.ofSeconds(5));

        assertThat(complete).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(lines).extracting(PodLogLine::text).containsExactly("one", "two", "last");
        assertThat(lines).extracting(PodLogLine::index).containsExactly(0L, 1L, 2L);
        assertThat(follower.following()).isZero();
    }

    @Test
    void finishHandsOverWhatTheWatchBeganAndNothingTwice() throws Exception {
        Pod pod = pod("aegis-job-search-6-w4tch", labels(job), "tool");
        status(pod, "Running", running("tool"));
        serveLog(pod, "tool", "2026-12-02T10:00:00Z one\n2026-12-02T10:00:01Z two\n");
        follower.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.size() == 2);
        Pod ended = new PodBuilder(pod).withNewStatus().withPhase("Succeeded").withContainerStatuses(terminated("tool"))
                .endStatus().build();

        assertThat(follower.finish(List.of(ended), Duration.ofSeconds(5))).isTrue();

        assertThat(lines).extracting(PodLogLine::text).containsExactly("one", "two");
        assertThat(follower.following()).isZero();
    }

    @Test
    void finishGivesUpOnALogThatDoesNotEndInTime() throws Exception {
        Pod pod = pod("aegis-job-search-7-h4ng5", labels(job), "tool");
        server.expect().get().delay(5, TimeUnit.SECONDS).withPath(logPath(pod, "tool"))
                .andReturn(200, "2026-12-02T10:00:00Z too late\n").always();
        Pod ended = new PodBuilder(pod).withNewStatus().withPhase("Failed").withContainerStatuses(terminated("tool"))
                .endStatus().build();
        long started = System.nanoTime();

        boolean complete = follower.finish(List.of(ended), Duration.ofMillis(500));

        assertThat(complete).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(1)).until(() -> follower.following() == 0);
        assertThat(lines).isEmpty();
    }

    // --- the test as the worker and the kubelet ---

    private static Map<String, String> labels(UUID jobId) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(PodLabels.MANAGED_BY, PodLabels.MANAGER);
        labels.put(PodLabels.JOB_ID, jobId.toString());
        labels.put(PodLabels.ATTEMPT, "1");
        labels.put(PodLabels.STEP, "search");
        return labels;
    }

    private Pod pod(String name, Map<String, String> labels, String... containers) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).withLabels(labels)
                .endMetadata().withNewSpec().endSpec();
        for (String container : containers) {
            pod.editSpec().addNewContainer().withName(container).withImage("ncbi/blast:2.12.0").endContainer().endSpec();
        }
        return client.pods().inNamespace(NAMESPACE).resource(pod.build()).create();
    }

    private void status(Pod pod, String phase, ContainerStatus... containers) {
        client.pods().inNamespace(NAMESPACE).withName(pod.getMetadata().getName()).editStatus(current ->
                new PodBuilder(current).withNewStatus().withPhase(phase).withContainerStatuses(containers).endStatus()
                        .build());
    }

    private void serveLog(Pod pod, String container, String log) {
        server.expect().get().withPath(logPath(pod, container)).andReturn(200, log).always();
    }

    /** The request the client makes to follow a container's log with timestamps. */
    private static String logPath(Pod pod, String container) {
        return "/api/v1/namespaces/" + NAMESPACE + "/pods/" + pod.getMetadata().getName()
                + "/log?pretty=false&container=" + container + "&timestamps=true&follow=true";
    }

    private List<PodLogLine> from(String source) {
        return lines.stream().filter(line -> line.source().equals(source)).toList();
    }

    /** The paths of every log the client asked the server for so far. */
    private List<String> logRequests() throws InterruptedException {
        List<String> paths = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            if (request.getPath().contains("/log?")) {
                paths.add(request.getPath());
            }
        }
        return paths;
    }

    private static ContainerStatus running(String name) {
        return new ContainerStatusBuilder().withName(name).withNewState().withNewRunning().endRunning().endState().build();
    }

    private static ContainerStatus waiting(String name) {
        return new ContainerStatusBuilder().withName(name).withNewState().withNewWaiting().withReason("ContainerCreating")
                .endWaiting().endState().build();
    }

    private static ContainerStatus terminated(String name) {
        return new ContainerStatusBuilder().withName(name).withNewState().withNewTerminated().withExitCode(0)
                .withReason("Completed").endTerminated().endState().build();
    }

}
