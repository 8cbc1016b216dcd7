package io.aegis.worker.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.worker.service.BatchCheckpoints.Found;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints on a real file system: what a later attempt takes, and what it refuses to trust. */
class BatchCheckpointsTest {

    private static final String HITS = "Q000001\tDEMO00017\t78.6\nQ000002\tDEMO00465\t54.5\n";

    @TempDir
    Path dir;

    private BatchCheckpoints checkpoints() {
        return new BatchCheckpoints(dir.resolve("jobs/1/checkpoints"));
    }

    private Path results(String content) throws Exception {
        Path file = dir.resolve("scratch/batch-0003.tsv");
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private Path target() {
        return dir.resolve("scratch-2/batch-0003.tsv");
    }

    @Test
    void aKeptBatchIsTakenByALaterAttemptByteForByte() throws Exception {
        checkpoints().keep(3, "key-a", results(HITS), null);
        Files.createDirectories(target().getParent());

        assertThat(checkpoints().take(3, "key-a", target(), null)).isEqualTo(Found.REUSED);
        assertThat(target()).hasContent(HITS);
        assertThat(dir.resolve("jobs/1/checkpoints")).isDirectoryNotContaining("glob:**.part");
    }

    @Test
    void aBatchKeptForAnotherSearchIsStaleAndNotCopied() throws Exception {
        checkpoints().keep(3, "key-a", results(HITS), null);
        Files.createDirectories(target().getParent());

        assertThat(checkpoints().take(3, "key-b", target(), null)).isEqualTo(Found.STALE);
        assertThat(target()).doesNotExist();
    }

    @Test
    void aKeptFileChangedSinceIsNotTrusted() throws Exception {
        checkpoints().keep(3, "key-a", results(HITS), null);
        Files.writeString(dir.resolve("jobs/1/checkpoints/batch-0003.tsv"), "Q000001\tforged\n", StandardOpenOption.APPEND);
        Files.createDirectories(target().getParent());

        assertThat(checkpoints().take(3, "key-a", target(), null)).isEqualTo(Found.TAMPERED);
        assertThat(target()).doesNotExist();
    }

    @Test
    void aKeptFileGoneOrARecordThatIsNoRecordIsNotTrusted() throws Exception {
        checkpoints().keep(3, "key-a", results(HITS), null);
        Files.delete(dir.resolve("jobs/1/checkpoints/batch-0003.tsv"));
        assertThat(checkpoints().take(3, "key-a", target(), null)).isEqualTo(Found.TAMPERED);

        checkpoints().keep(3, "key-a", results(HITS), null);
        Files.writeString(dir.resolve("jobs/1/checkpoints/batch-0003.json"), "{not json");
        assertThat(checkpoints().take(3, "key-a", target(), null)).isEqualTo(Found.TAMPERED);
    }

    @Test
    void resultsWithoutTheirRecordWereNeverWhollyKept() throws Exception {
        // an attempt stopped between the file and its record
        Path kept = dir.resolve("jobs/1/checkpoints/batch-0003.tsv");
        Files.createDirectories(kept.getParent());
        Files.writeString(kept, HITS);

        assertThat(checkpoints().take(3, "key-a", target(), null)).isEqualTo(Found.MISSING);
        assertThat(checkpoints().take(4, "key-a", target(), null)).isEqualTo(Found.MISSING);
    }

    @Test
    void theSplitGoesAlongAndEverythingGoesWhenTheJobSucceeded() throws Exception {
        assertThat(checkpoints().residuesPerBatch()).isEmpty();
        checkpoints().plan(1500);
        checkpoints().keep(3, "key-a", results(HITS), null);
        assertThat(checkpoints().residuesPerBatch()).hasValue(1500);

        checkpoints().clear();
        assertThat(dir.resolve("jobs/1/checkpoints")).doesNotExist();
        assertThat(checkpoints().residuesPerBatch()).isEmpty();
    }

    @Test
    void aBatchIsTakenOnlyWhileTheArchiveKeptWithTheJobIsAsItWas() throws Exception {
        Path archive = Files.writeString(Files.createDirectories(dir.resolve("jobs/1/archive")).resolve("batch-0003.asn"),
                "Blast4-archive ::= { request { ident \"2.12.0+\" } }");
        checkpoints().keep(3, "key-a", results(HITS), archive);
        Files.createDirectories(target().getParent());

        assertThat(checkpoints().take(3, "key-a", target(), archive)).isEqualTo(Found.REUSED);
        Files.delete(target());
        // a search that keeps no archive is another search
        assertThat(checkpoints().take(3, "key-a", target(), null)).isEqualTo(Found.STALE);

        Files.writeString(archive, " forged", StandardOpenOption.APPEND);
        assertThat(checkpoints().take(3, "key-a", target(), archive)).isEqualTo(Found.TAMPERED);
        Files.delete(archive);
        assertThat(checkpoints().take(3, "key-a", target(), archive)).isEqualTo(Found.TAMPERED);
        assertThat(target()).doesNotExist();
    }
}
