package io.aegis.worker.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.aegis.events.Problem;
import io.aegis.events.ProblemException;
import io.aegis.events.StoreLayout;
import io.aegis.sequences.SequenceType;
import io.aegis.worker.service.DatabaseRegistry.State;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
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

    private static final long MAX_UPLOAD = 4096;

    private final AtomicInteger builds = new AtomicInteger();
    /** What runs makeblastdb: the real one, or a stand-in that fails. */
    private final AtomicReference<ToolExecutor> makeblastdb = new AtomicReference<>(new LocalToolExecutor());
    private DatabaseRegistry registry;
    private StoreLayout store;

    @BeforeEach
    void setUp() {
        store = new StoreLayout(storeRoot);
        registry = registry();
    }

    /** A registry, as a replica has one, on this test's source folder and store. */
    private DatabaseRegistry registry() {
        ToolExecutor counting = (task, lines, cancellation) -> {
            builds.incrementAndGet();
            return makeblastdb.get().run(task, lines, cancellation);
        };
        return new DatabaseRegistry(sources, store, counting, MAX_UPLOAD);
    }

    @AfterEach
    void stopBuilding() {
        registry.close();
    }

    @Test
    void everyFastaInTheFolderIsADatabaseWithItsTypeAndCounts() throws Exception {
        Files.writeString(sources.resolve("prots.fasta"), PROTEINS);
        Files.writeString(sources.resolve("genes.fasta"), NUCLEOTIDES);
        Files.writeString(sources.resolve("notes.txt"), "not a database");
        registry.refresh();

        assertThat(registry.list()).extracting(DatabaseRegistry.Entry::name, DatabaseRegistry.Entry::state)
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
        new DatabaseRegistry(sources, store, (task, lines, cancellation) -> {
            throw new AssertionError("rebuilt " + task.command());
        }, MAX_UPLOAD).refresh();
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
        assertThat(registry.list()).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(State.FAILED);
            assertThat(e.error()).contains("'>' header line");
        });
        assertThat(builtFolders()).isEmpty();
    }

    // ------------------------------------------------------------------------------ registering

    @Test
    void aRegisteredFastaIsBuildingAtOnceThenReadyWithItsTypeAndCounts() throws Exception {
        DatabaseRegistry.Entry building = register(registry, "prots", PROTEINS, false);
        assertThat(building.state()).isEqualTo(State.BUILDING);
        assertThat(building.type()).isEqualTo(SequenceType.PROTEIN);
        assertThat(building.sequences()).isEqualTo(2);
        assertThat(building.residues()).isEqualTo(22 + 27);

        DatabaseRegistry.Entry ready = untilBuilt(registry, "prots");
        assertThat(ready.state()).isEqualTo(State.READY);
        assertThat(ready.version()).isEqualTo(building.version()).matches("[0-9a-f]{12}");
        assertThat(ready.error()).isNull();
        assertThat(registry.find("prots")).hasValueSatisfying(d -> assertThat(d.sequences()).isEqualTo(2));
        assertThat(Files.readString(sources.resolve("prots.fasta"))).isEqualTo(PROTEINS);
        assertThat(sourceFolder()).containsExactly("prots.fasta");
        assertThat(builds).hasValue(1);
    }

    @Test
    void aNameThatExistsIsRefusedUnlessReplacingIsAsked() throws Exception {
        register(registry, "prots", PROTEINS, false);
        String before = untilBuilt(registry, "prots").version();
        assertThatThrownBy(() -> register(registry, "prots", PROTEINS, false))
                .satisfies(problem(409, "DATABASE_EXISTS"));

        register(registry, "prots", PROTEINS + ">p3\nMEEPQSDPSV\n", true);
        DatabaseRegistry.Entry after = untilBuilt(registry, "prots");
        assertThat(after.state()).isEqualTo(State.READY);
        assertThat(after.sequences()).isEqualTo(3);
        assertThat(after.version()).isNotEqualTo(before);
        assertThat(sourceFolder()).containsExactly("prots.fasta");
        assertThat(builtFolders()).containsExactly("prots");
    }

    @Test
    void badNamesAreRefusedBeforeAnythingIsWritten() {
        for (String name : new String[] {"../escape", ".hidden", "", "a/b", "x".repeat(65), "sp ace"}) {
            assertThatThrownBy(() -> register(registry, name, PROTEINS, false)).as(name)
                    .satisfies(problem(400, "INVALID_DATABASE_NAME"));
        }
        assertThatThrownBy(() -> registry.register(null, InputStream.nullInputStream(), false))
                .satisfies(problem(400, "INVALID_DATABASE_NAME"));
        assertThat(sourceFolder()).isEmpty();
    }

    @Test
    void invalidFastaIsRefusedWithItsCodeAndLeavesNothingInTheSourceFolder() {
        assertThatThrownBy(() -> register(registry, "bad", ">a\nMK1\n", false))
                .satisfies(problem(400, "INVALID_FASTA"))
                .satisfies(e -> assertThat(((ProblemException) e).problem().errors())
                        .extracting(Problem.FieldError::field).containsExactly("fasta"));
        assertThatThrownBy(() -> register(registry, "empty", "", false)).satisfies(problem(400, "INVALID_FASTA"));
        assertThat(sourceFolder()).isEmpty();
        assertThat(registry.list()).isEmpty();
        assertThat(builds).hasValue(0);
    }

    @Test
    void aFastaOverTheUploadLimitIsRefusedWith413() {
        String big = ">big\n" + "MKVLAAGIVG\n".repeat((int) (MAX_UPLOAD / 11) + 1);
        assertThatThrownBy(() -> register(registry, "big", big, false)).satisfies(problem(413, "INPUT_TOO_LARGE"));
        assertThat(sourceFolder()).isEmpty();
    }

    @Test
    void aFailedBuildTakesItsSourceAwayAndIsListedAsFailedWithTheError() throws Exception {
        makeblastdb.set((task, lines, cancellation) -> new ToolExecutor.Result(1, "BLAST options error: no space"));
        register(registry, "prots", PROTEINS, false);
        DatabaseRegistry.Entry failed = untilBuilt(registry, "prots");

        assertThat(failed.state()).isEqualTo(State.FAILED);
        assertThat(failed.error()).contains("exit 1").contains("no space");
        assertThat(failed.type()).isEqualTo(SequenceType.PROTEIN);
        assertThat(sourceFolder()).isEmpty();
        assertThat(builtFolders()).isEmpty();
        assertThat(registry.find("prots")).isEmpty();
        // another replica sees the failure too, and the name is free again
        assertThat(registry().status("prots")).hasValueSatisfying(e -> assertThat(e.state()).isEqualTo(State.FAILED));
        makeblastdb.set(new LocalToolExecutor());
        register(registry, "prots", PROTEINS, false);
        assertThat(untilBuilt(registry, "prots").state()).isEqualTo(State.READY);
    }

    @Test
    void aFailedReplacementPutsTheSourceItReplacedBack() throws Exception {
        register(registry, "prots", PROTEINS, false);
        DatabaseRegistry.Entry before = untilBuilt(registry, "prots");
        makeblastdb.set((task, lines, cancellation) -> new ToolExecutor.Result(1, "out of memory"));

        register(registry, "prots", PROTEINS + ">p3\nMEEPQSDPSV\n", true);
        DatabaseRegistry.Entry after = untilBuilt(registry, "prots");

        assertThat(after.state()).isEqualTo(State.READY);
        assertThat(after.version()).isEqualTo(before.version());
        assertThat(after.error()).startsWith("Replacing it failed: ").contains("out of memory");
        assertThat(Files.readString(sources.resolve("prots.fasta"))).isEqualTo(PROTEINS);
        assertThat(sourceFolder()).containsExactly("prots.fasta");
        assertThat(registry.find("prots")).hasValueSatisfying(d -> assertThat(d.version()).isEqualTo(before.version()));
    }

    @Test
    void anotherReplicaListsWhatThisOneRegisteredWithoutBuildingIt() throws Exception {
        DatabaseRegistry other = registry();
        try {
            register(registry, "prots", PROTEINS, false);
            assertThat(other.status("prots")).hasValueSatisfying(e -> assertThat(e.state())
                    .isIn(State.BUILDING, State.READY));
            untilBuilt(registry, "prots");
            assertThat(other.list()).singleElement().satisfies(e -> {
                assertThat(e.state()).isEqualTo(State.READY);
                assertThat(e.sequences()).isEqualTo(2);
            });
            assertThat(builds).as("built once, by the replica that registered it").hasValue(1);
        } finally {
            other.close();
        }
    }

    @Test
    void aSourceCopiedInByHandIsBuiltOnceItIsListed() throws Exception {
        Files.writeString(sources.resolve("genes.fasta"), NUCLEOTIDES);
        assertThat(registry.list()).singleElement().satisfies(e -> assertThat(e.state()).isEqualTo(State.BUILDING));
        DatabaseRegistry.Entry ready = untilBuilt(registry, "genes");
        assertThat(ready.state()).isEqualTo(State.READY);
        assertThat(ready.type()).isEqualTo(SequenceType.NUCLEOTIDE);
        assertThat(builds).hasValue(1);
    }

    private static DatabaseRegistry.Entry register(DatabaseRegistry registry, String name, String fasta, boolean replace) {
        return registry.register(name, new ByteArrayInputStream(fasta.getBytes(StandardCharsets.UTF_8)), replace);
    }

    private static DatabaseRegistry.Entry untilBuilt(DatabaseRegistry registry, String name) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> registry.status(name).orElseThrow(), e -> e.state() != State.BUILDING);
    }

    private static Consumer<Throwable> problem(int status, String code) {
        return e -> {
            assertThat(e).isInstanceOf(ProblemException.class);
            Problem problem = ((ProblemException) e).problem();
            assertThat(problem.status()).isEqualTo(status);
            assertThat(problem.code()).isEqualTo(code);
        };
    }

    /** Every file of the source folder, hidden ones too. */
    private List<String> sourceFolder() {
        try (Stream<Path> files = Files.list(sources)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The folders of built (or half-built) databases in the store. */
    private List<String> builtFolders() {
        Path built = storeRoot.resolve("databases");
        if (!Files.exists(built)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(built)) {
            return dirs.map(p -> p.getFileName().toString()).filter(f -> !f.equals(".failed")).sorted().toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
