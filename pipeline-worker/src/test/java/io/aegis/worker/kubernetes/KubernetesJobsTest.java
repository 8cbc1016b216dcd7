package io.aegis.worker.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.worker.service.ToolExecutor.Task;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KubernetesJobsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final Path STORE = Path.of("/var/lib/aegis/store");
    static final UUID JOB = UUID.fromString("3f2a9c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b");

    /** What a production worker would be given: every optional setting set. */
    static JobSettings fullSettings() {
        return new JobSettings("aegis", "ncbi/blast:2.12.0", Optional.of("IfNotPresent"),
                List.of("registry-credentials"), STORE, "aegis-store", "1", "2", "1Gi", "2Gi", 0,
                Duration.ofHours(1), Optional.of("aegis-tools"), 10);
    }

    /** Only what has a default. */
    static JobSettings minimalSettings() {
        return new JobSettings("default", "ncbi/blast:2.12.0", Optional.empty(), List.of(), STORE, "aegis-store",
                "500m", "1", "512Mi", "1Gi", 2, Duration.ofMinutes(10), Optional.empty(), 10);
    }

    static Task searchBatch(UUID jobId, int attempt, String step, int batch) {
        Path scratch = STORE.resolve("scratch/" + jobId + "-" + attempt);
        String file = String.format("batch-%04d", batch);
        return new Task(jobId, attempt, step, batch, List.of("blastp",
                "-query", scratch.resolve(file + ".fa").toString(),
                "-db", STORE.resolve("databases/testdb/testdb").toString(),
                "-outfmt", "6 qseqid sseqid pident length mismatch gapopen qstart qend sstart send evalue bitscore",
                "-out", scratch.resolve(file + ".tsv").toString(),
                "-num_threads", "1"), scratch, Duration.ofHours(24));
    }

    @Test
    void aSearchBatchBecomesTheJobInItsGoldenFile() throws IOException {
        assertMatchesGolden(KubernetesJobs.build(searchBatch(JOB, 2, "search", 7), fullSettings()), "search-batch.yaml");
    }

    @Test
    void aTaskOutsideAnyJobBecomesTheJobInItsGoldenFile() throws IOException {
        Task build = Task.standalone("makeblastdb", List.of("makeblastdb", "-in", "/srv/databases/testdb.fasta",
                        "-dbtype", "prot", "-out", STORE.resolve("databases/testdb.building1/testdb").toString(),
                        "-parse_seqids", "-title", "testdb"),
                STORE.resolve("databases/testdb.building1"), Duration.ofMinutes(30));
        assertMatchesGolden(KubernetesJobs.build(build, minimalSettings()), "standalone-makeblastdb.yaml");
    }

    @Test
    void theJobAndItsPodsCarryTheJobAttemptStepAndBatch() {
        Job job = KubernetesJobs.build(searchBatch(JOB, 2, "search", 7), fullSettings());
        Map<String, String> expected = Map.of("app.kubernetes.io/managed-by", "aegis", "aegis.io/job-id", JOB.toString(),
                "aegis.io/attempt", "2", "aegis.io/step", "search", "aegis.io/batch", "7");
        assertThat(job.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void theStoreIsMountedWhereTheWorkerHasItSoEveryPathInTheCommandHolds() {
        Task task = searchBatch(JOB, 1, "search", 0);
        Job job = KubernetesJobs.build(task, fullSettings());
        var container = job.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(container.getVolumeMounts()).extracting(mount -> mount.getName() + " " + mount.getMountPath())
                .containsExactly("store " + STORE, "tmp /tmp");
        assertThat(container.getWorkingDir()).isEqualTo(task.workDir().toString());
        assertThat(container.getCommand()).isEqualTo(task.command());
        assertThat(job.getSpec().getTemplate().getSpec().getVolumes()).first()
                .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("aegis-store"));
    }

    @Test
    void aToolPodMeetsPodSecurityRestricted() {
        var pod = KubernetesJobs.build(searchBatch(JOB, 1, "search", 0), minimalSettings()).getSpec().getTemplate().getSpec();
        var container = pod.getContainers().getFirst().getSecurityContext();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(container.getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void aWorkDirectoryOutsideTheStoreIsRefusedSinceNoPodCouldSeeIt() {
        Task task = new Task(JOB, 1, "search", 0, List.of("blastp"), Path.of("/tmp/elsewhere"), Duration.ofMinutes(1));
        assertThatThrownBy(() -> KubernetesJobs.build(task, fullSettings()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/tmp/elsewhere").hasMessageContaining(STORE.toString());
    }

    @Test
    void theDeadlineIsTheTimeoutInWholeSecondsRoundedUp() {
        assertThat(KubernetesJobs.deadlineSeconds(withTimeout(Duration.ofMillis(1500)))).isEqualTo(2);
        assertThat(KubernetesJobs.deadlineSeconds(withTimeout(Duration.ofMillis(10)))).isEqualTo(1);
        assertThat(KubernetesJobs.deadlineSeconds(withTimeout(Duration.ofHours(24)))).isEqualTo(86_400);
    }

    @Test
    void aJobNameTellsTheJobStepBatchAndAttempt() {
        assertThat(KubernetesJobs.name(searchBatch(JOB, 2, "search", 7)))
                .isEqualTo("aegis-3f2a9c1e8b7d4e6f9a0b1c2d3e4f5a6b-search-7-a2");
    }

    @Test
    void everyJobAttemptStepAndBatchHasANameOfItsOwn() {
        UUID sameStart = UUID.fromString("3f2a9c1e-0000-4000-8000-000000000000");
        List<Task> tasks = List.of(searchBatch(JOB, 1, "search", 0), searchBatch(JOB, 2, "search", 0),
                searchBatch(JOB, 1, "search", 1), searchBatch(JOB, 1, "merge", 0), searchBatch(JOB, 1, "search", 10),
                searchBatch(JOB, 11, "search", 0), searchBatch(sameStart, 1, "search", 0));
        Set<String> names = new HashSet<>();
        tasks.forEach(task -> names.add(KubernetesJobs.name(task)));
        assertThat(names).hasSize(tasks.size());
    }

    @Test
    void aLongOrOddStepStillGivesAValidUniqueName() {
        String longStep = "search-against-a-database-whose-name-is-rather-long";
        List<Task> tasks = List.of(searchBatch(JOB, 99, longStep + "-one", 123_456),
                searchBatch(JOB, 99, longStep + "-two", 123_456), searchBatch(JOB, 1, "Search", 0),
                searchBatch(JOB, 1, "search", 0), searchBatch(JOB, 1, "search pass #2", 0), searchBatch(JOB, 1, "---", 0),
                searchBatch(JOB, Integer.MAX_VALUE, longStep, Integer.MAX_VALUE));
        Set<String> names = new HashSet<>();
        for (Task task : tasks) {
            String name = KubernetesJobs.name(task);
            assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
            names.add(name);
        }
        assertThat(names).hasSize(tasks.size());
    }

    @Test
    void tasksOutsideAnyJobInDifferentFoldersGetDifferentNames() {
        Task one = Task.standalone("makeblastdb", List.of("makeblastdb", "-in", "a.fasta"),
                STORE.resolve("databases/a.building1"), Duration.ofMinutes(1));
        Task two = Task.standalone("makeblastdb", List.of("makeblastdb", "-in", "a.fasta"),
                STORE.resolve("databases/a.building2"), Duration.ofMinutes(1));
        assertThat(KubernetesJobs.name(one)).isNotEqualTo(KubernetesJobs.name(two))
                .startsWith("aegis-").contains("-makeblastdb-");
        assertThat(KubernetesJobs.labels(one)).doesNotContainKeys("aegis.io/job-id", "aegis.io/attempt");
    }

    @Test
    void aLabelValueKeepsWhatKubernetesAllowsAndIsCutAt63() {
        assertThat(KubernetesJobs.labelValue("search")).isEqualTo("search");
        assertThat(KubernetesJobs.labelValue("search pass #2")).isEqualTo("search-pass--2");
        assertThat(KubernetesJobs.labelValue("_x_")).isEqualTo("x");
        assertThat(KubernetesJobs.labelValue("a".repeat(70))).hasSize(63);
    }

    private static Task withTimeout(Duration timeout) {
        return new Task(JOB, 1, "search", 0, List.of("blastp"), STORE, timeout);
    }

    /**
     * Compares the built Job with a golden file as trees, after one pass of both through fabric8's
     * serialization: field order and YAML layout do not matter, every value does.
     */
    private static void assertMatchesGolden(Job built, String golden) throws IOException {
        String actual = Serialization.asYaml(built);
        try (InputStream in = KubernetesJobsTest.class.getResourceAsStream("/kubernetes/" + golden)) {
            assertThat(in).as("golden file kubernetes/%s; the built Job is:%n%s", golden, actual).isNotNull();
            Job expected = Serialization.unmarshal(in, Job.class);
            assertThat(tree(built)).as("kubernetes/%s; the built Job is:%n%s", golden, actual).isEqualTo(tree(expected));
        }
    }

    private static JsonNode tree(Job job) throws IOException {
        return JSON.readTree(Serialization.asJson(job));
    }
}
