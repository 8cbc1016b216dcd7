package io.aegis.worker.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.events.StoreLayout;
import io.aegis.sequences.SequenceType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry with the real makeblastdb, in a throwaway source folder and store. */
class DatabaseRegistryTest {

    private static final String PROTEINS = ">p1 first\nMKVLAAGIVGLLLAQSWRTEEP\n>p2\nMSTNPKPQRKTKRNTNRRPQDVKFPGG\n";
    private static final String NUCLEOTIDES = ">n1\nACGTACGTTAGCATCGATCGATCGGCTA\n>n2\nTTGACCANNGTACGATCGA\n>n3\nACGU\n";

    @TempDir
    Path sources;
    @TempDir
    Path storeRoot;

    private final AtomicInteger builds = new AtomicInteger();
    private DatabaseRegistry registry;
    private StoreLayout store;

    @BeforeEach
    void setUp() {
        store = new StoreLayout(storeRoot);
        LocalToolExecutor local = new LocalToolExecutor();
        ToolExecutor counting = (task, lines, cancellation) -> {
            builds.incrementAndGet();
            return local.run(task, lines, cancellation);
        };
        registry = new DatabaseRegistry(sources, store, counting);
    }

    @Test
    void everyFastaInTheFolderIsADatabaseWithItsTypeAndCounts() throws Exception {
        Files.writeString(sources.resolve("prots.fasta"), PROTEINS);
        Files.writeString(sources.resolve("genes.fasta"), NUCLEOTIDES);
        Files.writeString(sources.resolve("notes.txt"), "not a database");
        registry.refresh();

        assertThat(registry.list()).extracting(BlastDatabase::name).containsExactly("genes", "prots");
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
        new DatabaseRegistry(sources, store, (task, lines, cancellation) -> {
            throw new AssertionError("rebuilt " + task.command());
        }).refresh();
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
        try (Stream<Path> dirs = Files.list(storeRoot.resolve("databases"))) {
            assertThat(dirs.map(p -> p.getFileName().toString())).containsExactly("prots");
        }
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
        assertThat(registry.list()).isEmpty();
        Path built = storeRoot.resolve("databases");
        if (Files.exists(built)) {
            try (Stream<Path> dirs = Files.list(built)) {
                assertThat(dirs).isEmpty();
            }
        }
    }
}
