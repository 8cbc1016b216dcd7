package io.aegis.worker.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.sequences.SequenceType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The names databases and the work in progress beside them have. */
class DatabaseFoldersTest {

    @TempDir
    Path dir;

    @Test
    void aDatabaseNameIsOneTo64SafeCharactersStartingWithALetterOrDigit() {
        assertThat(List.of("a", "uniprot_sprot", "nr.2025-01", "9x", "x".repeat(64)))
                .allMatch(DatabaseFolders::validName);
        assertThat(List.of("", ".hidden", "-x", "_x", "a/b", "../x", "sp ace", "x".repeat(65)))
                .noneMatch(DatabaseFolders::validName);
        assertThat(DatabaseFolders.validName(null)).isFalse();
    }

    @Test
    void onlyValidNamesWithTheSuffixAreDatabases() throws Exception {
        for (String file : List.of("prots.fasta", "genes.fasta", ".prots.upload-1", ".prots.previous-2", "notes.txt",
                "-bad.fasta")) {
            Files.writeString(dir.resolve(file), "");
        }
        assertThat(DatabaseFolders.namesIn(dir, ".fasta")).containsExactlyInAnyOrder("prots", "genes");
        assertThat(DatabaseFolders.namesIn(dir.resolve("missing"), ".fasta")).isEmpty();
    }

    @Test
    void workInProgressIsToldApartFromDatabases() {
        assertThat(DatabaseFolders.isBuildWork("prots.building-123")).isTrue();
        assertThat(DatabaseFolders.isBuildWork("prots.replaced-0f3c")).isTrue();
        assertThat(DatabaseFolders.isBuildWork("prots")).isFalse();
        assertThat(DatabaseFolders.buildingName("nr.2025.building-123")).isEqualTo("nr.2025");
        assertThat(DatabaseFolders.isSourceWork(".prots.upload-1")).isTrue();
        assertThat(DatabaseFolders.isSourceWork(".prots.previous-2")).isTrue();
        assertThat(DatabaseFolders.isSourceWork("prots.fasta")).isFalse();
        assertThat(FailureRecords.isRecord("prots.properties")).isTrue();
        assertThat(FailureRecords.isRecord(".prots123.tmp")).isTrue();
    }

    @Test
    void makeblastdbBuildsIntoTheBuildFolderWithTheSequenceIdsKept() {
        assertThat(DatabaseBuilder.command("prots", Path.of("/src/prots.fasta"), SequenceType.PROTEIN,
                Path.of("/store/databases/prots.building-1"))).containsExactly("makeblastdb", "-in",
                "/src/prots.fasta", "-dbtype", "prot", "-out", "/store/databases/prots.building-1/prots",
                "-parse_seqids", "-title", "prots");
        assertThat(DatabaseBuilder.command("genes", Path.of("genes.fasta"), SequenceType.NUCLEOTIDE, Path.of("b")))
                .contains("nucl");
    }
}
