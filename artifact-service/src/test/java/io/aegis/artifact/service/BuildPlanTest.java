package io.aegis.artifact.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.events.JobStatus;
import io.aegis.events.SearchArchive;
import io.aegis.events.StoreLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a job's finalization will build, told from the store before it starts (the pending artifact list). */
class BuildPlanTest {

    private static final String COLUMNS = "{\"columns\": [\"qseqid\", \"sseqid\", \"pident\", \"evalue\", \"bitscore\"";

    @TempDir
    Path root;

    @Test
    void aJobStillRunningIsExpectedToBringItsMergedHitsAndWhatIsBuiltFromThem() throws IOException {
        StoreLayout store = new StoreLayout(root);
        UUID job = UUID.randomUUID();
        Files.createDirectories(store.results(job));
        Files.writeString(store.results(job).resolve("run.log"), "worker: batch 1 of 2\n");
        Files.writeString(store.results(job).resolve("hits.tsv.part"), "q1\ts1");

        assertThat(BuildPlan.forecast(store, job, JobStatus.RUNNING, null).names()).containsExactlyInAnyOrder(
                "run.log", "hits.tsv", "hits.json", "summary.json", "hits", "steps.json", "manifest.json");
        assertThat(BuildPlan.forecast(store, UUID.randomUUID(), JobStatus.QUEUED, null).names()).containsExactlyInAnyOrder(
                "hits.tsv", "hits.json", "summary.json", "hits", "steps.json", "manifest.json");
    }

    @Test
    void aJobThatReusedAnotherHasThatJobsResultsAndItsAlignmentsWithoutAnythingWritten() throws IOException {
        StoreLayout store = new StoreLayout(root);
        UUID earlier = UUID.randomUUID();
        Files.createDirectories(store.results(earlier));
        Files.writeString(store.results(earlier).resolve("hits.tsv"), "q1\ts1\t99\t1e-9\t50\tMK\tMK\n");
        Files.writeString(store.results(earlier).resolve("hits.json"), COLUMNS + ", \"qseq\", \"sseq\"], \"queries\": []}");
        Files.writeString(store.results(earlier).resolve("run.log"), "done\n");
        UUID job = UUID.randomUUID();

        assertThat(BuildPlan.forecast(store, job, JobStatus.SUCCEEDED, earlier).names()).containsExactlyInAnyOrder(
                "hits.tsv", "hits.json", "run.log", "summary.json", "hits", "alignments.txt", "steps.json", "manifest.json");
        assertThat(store.jobDir(job)).doesNotExist();
    }

    @Test
    void aJobThatFailedHasOnlyWhatItLeftAndItsSteps() throws IOException {
        StoreLayout store = new StoreLayout(root);
        UUID job = UUID.randomUUID();
        Files.createDirectories(store.results(job));
        Files.writeString(store.results(job).resolve("run.log"), "blastp: error\n");

        assertThat(BuildPlan.forecast(store, job, JobStatus.FAILED, null).names())
                .containsExactlyInAnyOrder("run.log", "steps.json", "manifest.json");
        assertThat(BuildPlan.forecast(store, UUID.randomUUID(), JobStatus.CANCELLED, null).names())
                .containsExactlyInAnyOrder("steps.json", "manifest.json");
    }

    @Test
    void aJobWhoseInputIsInTheStorePublishesItWhateverItsEndAndAReusedJobHasItsOwnOrElseTheEarlierOnes() throws IOException {
        StoreLayout store = new StoreLayout(root);
        UUID failed = UUID.randomUUID();
        Files.createDirectories(store.jobDir(failed));
        Files.writeString(store.input(failed), ">q1\nMKT\n");
        BuildPlan plan = BuildPlan.forecast(store, failed, JobStatus.FAILED, null);
        assertThat(plan.names()).containsExactlyInAnyOrder("input.fasta", "steps.json", "manifest.json");
        assertThat(plan.input()).isEqualTo(store.input(failed));

        UUID reused = UUID.randomUUID();
        assertThat(BuildPlan.forecast(store, reused, JobStatus.SUCCEEDED, failed).input())
                .as("no input of its own: the earlier job's").isEqualTo(store.input(failed));
        Files.createDirectories(store.jobDir(reused));
        Files.writeString(store.input(reused), ">q1\nMKT\n");
        assertThat(BuildPlan.forecast(store, reused, JobStatus.SUCCEEDED, failed).input()).isEqualTo(store.input(reused));
        assertThat(BuildPlan.forecast(store, UUID.randomUUID(), JobStatus.SUCCEEDED, null).input()).isNull();
    }

    @Test
    void aJobWhoseSearchWasArchivedIsExpectedToBringBlastsOwnFormatsAndSamOnlyForBlastn() throws IOException {
        StoreLayout store = new StoreLayout(root);
        UUID protein = archived(store, "blastp");
        UUID nucleotide = archived(store, "blastn");

        assertThat(BuildPlan.forecast(store, protein, JobStatus.SUCCEEDED, null).names())
                .contains("hits.xml", "hits.commented.tsv", "hits.txt", "hits.blast.json").doesNotContain("hits.sam");
        assertThat(BuildPlan.forecast(store, nucleotide, JobStatus.RUNNING, null).names())
                .contains("hits.xml", "hits.commented.tsv", "hits.txt", "hits.blast.json", "hits.sam");
        // a job that reused another's results has that job's archive
        assertThat(BuildPlan.forecast(store, UUID.randomUUID(), JobStatus.SUCCEEDED, nucleotide).names()).contains("hits.sam");

        // made only when asked for: the formats, nothing else
        BuildPlan plan = BuildPlan.forecast(store, nucleotide, JobStatus.SUCCEEDED, null);
        assertThat(plan.names()).filteredOn(plan::onRequest)
                .containsExactlyInAnyOrder("hits.xml", "hits.commented.tsv", "hits.txt", "hits.blast.json", "hits.sam");
        assertThat(BuildPlan.forecast(store, UUID.randomUUID(), JobStatus.SUCCEEDED, null).onRequest("hits.xml"))
                .as("no archive, no format").isFalse();
    }

    @Test
    void aJobWithoutAnArchiveOrThatDidNotSucceedPlansNoneOfBlastsOwnFormats() throws IOException {
        StoreLayout store = new StoreLayout(root);
        UUID archived = archived(store, "blastp");

        assertThat(BuildPlan.forecast(store, UUID.randomUUID(), JobStatus.SUCCEEDED, null).names()).doesNotContain("hits.xml");
        assertThat(BuildPlan.forecast(store, archived, JobStatus.FAILED, null).names()).doesNotContain("hits.xml");
        assertThat(BuildPlan.forecast(store, archived, JobStatus.CANCELLED, null).names()).doesNotContain("hits.xml");
    }

    private static UUID archived(StoreLayout store, String program) throws IOException {
        UUID job = UUID.randomUUID();
        new SearchArchive(SearchArchive.SCHEMA, program, "demo", "v1", "/store/databases/demo/demo", 1, 1, Map.of())
                .write(Files.createDirectories(store.archive(job)));
        return job;
    }
}
