package io.aegis.worker.service;

import static io.aegis.worker.service.DatabaseReplica.NUCLEOTIDES;
import static io.aegis.worker.service.DatabaseReplica.PROTEINS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.aegis.events.StoreLayout;
import io.aegis.sequences.SequenceType;
import io.aegis.worker.domain.DatabaseEntry;
import io.aegis.worker.domain.DatabaseEntry.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The databases of a source folder, listed and built with the real makeblastdb, in a throwaway folder and store. */
class DatabaseRegistryTest {

    @TempDir
    Path sources;
    @TempDir
    Path storeRoot;

    private static final long MAX_UPLOAD = 4096;

    private final AtomicInteger builds = new AtomicInteger();
    private DatabaseReplica replica;
    private DatabaseRegistry registry;
    private StoreLayout store;

    @BeforeEach
    void setUp() {
        store = new StoreLayout(storeRoot);
        replica = replica();
        registry = replica.registry;
    }

    /** A replica on this test's source folder and store, its makeblastdb runs counted. */
    private DatabaseReplica replica() {
        LocalToolExecutor makeblastdb = new LocalToolExecutor();
        return new DatabaseReplica(sources, store, (task, lines, cancellation) -> {
            builds.incrementAndGet();
            return makeblastdb.run(task, lines, cancellation);
        }, MAX_UPLOAD);
    }

    @AfterEach
    void stopBuilding() {
        replica.close();
    }

    @Test
    void everyFastaInTheFolderIsADatabaseWithItsTypeAndCounts() throws Exception {
        Files.writeString(sources.resolve("prots.fasta"), PROTEINS);
        Files.writeString(sources.resolve("genes.fasta"), NUCLEOTIDES);
        Files.writeString(sources.resolve("notes.txt"), "not a database");
        registry.refresh();

        assertThat(registry.list()).extracting(DatabaseEntry::name, DatabaseEntry::state)
                .containsExactly(tuple("genes", State.READY), tuple("prots", State.READY));
        BlastDatabase prots = registry.find("prots").orElseThrow();
        assertThat(prots.type()).isEqualTo(SequenceType.PROTEIN);
        assertThat(prots.sequences()).isEqualTo(2);
        assertThat(prots.residues()).isEqualTo(22 + 27);
        assertThat(prots.version()).matches("[0-9a-f]{12}");
        assertThat(prots.path()).isEqualTo(store.database("prots").resolve("prots"));
        assertThat(store.database("prots").resolve("prots.pin")).exists();

        BlastDatabase genes = registry.find("genes").orElseThrow();
        assertThat(genes.type()).isEqualTo(SequenceType.NUCLEOTIDE);
        assertThat(genes.sequences()).isEqualTo(3);
        assertThat(store.database("genes").resolve("genes.nin")).exists();
    }

    @Test
    void anUnchangedSourceIsNotBuiltAgainEvenByANewWorker() throws Exception {
        Files.writeString(sources.resolve("prots.fasta"), PROTEINS);
        BlastDatabase first = registry.find("prots").orElseThrow();
        registry.find("prots");
        try (DatabaseReplica restarted = new DatabaseReplica(sources, store, (task, lines, cancellation) -> {
            throw new AssertionError("rebuilt " + task.command());
        }, MAX_UPLOAD)) {
            restarted.registry.refresh();
        }
        assertThat(builds).hasValue(1);
        assertThat(registry.find("prots")).hasValue(first);
    }

    @Test
    void aChangedSourceIsRebuiltAsANewVersionAndNothingHalfBuiltIsLeft() throws Exception {
        Path source = sources.resolve("prots.fasta");
        Files.writeString(source, PROTEINS);
        BlastDatabase before = registry.find("prots").orElseThrow();

        Files.writeString(source, PROTEINS + ">p3\nMEEPQSDPSV\n");
        Files.setLastModifiedTime(source, FileTime.from(Instant.now().plusSeconds(5)));
        BlastDatabase after = registry.find("prots").orElseThrow();

        assertThat(builds).hasValue(2);
        assertThat(after.version()).isNotEqualTo(before.version());
        assertThat(after.sequences()).isEqualTo(3);
        assertThat(DatabaseReplica.files(storeRoot.resolve("databases"))).containsExactly("prots");
    }

    @Test
    void aDeletedIndexIsBuiltAgain() throws Exception {
        Files.writeString(sources.resolve("prots.fasta"), PROTEINS);
        registry.find("prots");
        Files.delete(store.database("prots").resolve("prots.pin"));
        registry.find("prots");
        assertThat(builds).hasValue(2);
        assertThat(store.database("prots").resolve("prots.pin")).exists();
    }

    @Test
    void aNameWithoutSourceOrOutsideTheFolderIsNoDatabase() throws Exception {
        Files.writeString(storeRoot.resolve("secret.fasta"), PROTEINS);
        assertThat(registry.find("missing")).isEmpty();
        assertThat(registry.find("../" + storeRoot.getFileName() + "/secret")).isEmpty();
        assertThat(registry.find(null)).isEmpty();
        assertThat(builds).hasValue(0);
    }

    @Test
    void aSourceThatIsNotFastaFailsToBuildAndLeavesNothingBehind() throws Exception {
        Files.writeString(sources.resolve("broken.fasta"), "this is not FASTA\n");
        assertThatThrownBy(() -> registry.find("broken")).isInstanceOf(DatabaseRegistry.BuildFailure.class)
                .hasMessageContaining("broken");
        registry.refresh();
        assertThat(registry.list()).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(State.FAILED);
            assertThat(e.error()).contains("'>' header line");
        });
        assertThat(DatabaseReplica.builtFolders(storeRoot)).isEmpty();
    }

    @Test
    void aSourceCopiedInByHandIsBuiltOnceItIsListed() throws Exception {
        Files.writeString(sources.resolve("genes.fasta"), NUCLEOTIDES);
        assertThat(registry.list()).singleElement().satisfies(e -> assertThat(e.state()).isEqualTo(State.BUILDING));
        DatabaseEntry ready = replica.untilBuilt("genes");
        assertThat(ready.state()).isEqualTo(State.READY);
        assertThat(ready.type()).isEqualTo(SequenceType.NUCLEOTIDE);
        assertThat(builds).hasValue(1);
    }

    @Test
    void leftoversOfOldCrashesAreRemovedAtStartAndRecentWorkIsKept() throws Exception {
        Files.writeString(sources.resolve("prots.fasta"), PROTEINS);
        Path oldUpload = Files.writeString(sources.resolve(".prots.upload-1"), PROTEINS);
        Path newUpload = Files.writeString(sources.resolve(".genes.upload-2"), NUCLEOTIDES);
        Path oldBuild = Files.createDirectories(storeRoot.resolve("databases/prots.building-3"));
        Path newBuild = Files.createDirectories(storeRoot.resolve("databases/genes.building-4"));
        FileTime twoDaysAgo = FileTime.from(Instant.now().minusSeconds(2 * 24 * 3600));
        Files.setLastModifiedTime(oldUpload, twoDaysAgo);
        Files.setLastModifiedTime(oldBuild, twoDaysAgo);

        registry.refresh();

        assertThat(oldUpload).doesNotExist();
        assertThat(oldBuild).doesNotExist();
        assertThat(newUpload).exists();
        assertThat(newBuild).exists();
        assertThat(registry.status("prots")).hasValueSatisfying(e -> assertThat(e.state()).isEqualTo(State.READY));
    }
}
