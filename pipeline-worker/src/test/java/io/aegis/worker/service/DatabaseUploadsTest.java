package io.aegis.worker.service;

import static io.aegis.worker.service.DatabaseReplica.PROTEINS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.contracts.problem.Problem;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.events.StoreLayout;
import io.aegis.sequences.SequenceType;
import io.aegis.worker.domain.DatabaseEntry.State;
import io.aegis.worker.domain.DatabaseEntry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registering databases, built with the real makeblastdb, in a throwaway source folder and store. */
class DatabaseUploadsTest {

    @TempDir
    Path sources;
    @TempDir
    Path storeRoot;

    private static final long MAX_UPLOAD = 4096;

    private final AtomicInteger builds = new AtomicInteger();
    /** What runs makeblastdb: the real one, or a stand-in that fails. */
    private final AtomicReference<ToolExecutor> makeblastdb = new AtomicReference<>(new LocalToolExecutor());
    private DatabaseReplica replica;
    private StoreLayout store;

    @BeforeEach
    void setUp() {
        store = new StoreLayout(storeRoot);
        replica = replica();
    }

    /** A replica on this test's source folder and store, its makeblastdb runs counted. */
    private DatabaseReplica replica() {
        return new DatabaseReplica(sources, store, (task, lines, cancellation) -> {
            builds.incrementAndGet();
            return makeblastdb.get().run(task, lines, cancellation);
        }, MAX_UPLOAD);
    }

    @AfterEach
    void stopBuilding() {
        replica.close();
    }

    @Test
    void aRegisteredFastaIsBuildingAtOnceThenReadyWithItsTypeAndCounts() throws Exception {
        DatabaseEntry building = replica.register("prots", PROTEINS, false);
        assertThat(building.state()).isEqualTo(State.BUILDING);
        assertThat(building.type()).isEqualTo(SequenceType.PROTEIN);
        assertThat(building.sequences()).isEqualTo(2);
        assertThat(building.residues()).isEqualTo(22 + 27);

        DatabaseEntry ready = replica.untilBuilt("prots");
        assertThat(ready.state()).isEqualTo(State.READY);
        assertThat(ready.version()).isEqualTo(building.version()).matches("[0-9a-f]{12}");
        assertThat(ready.error()).isNull();
        assertThat(replica.registry.find("prots")).hasValueSatisfying(d -> assertThat(d.sequences()).isEqualTo(2));
        assertThat(Files.readString(sources.resolve("prots.fasta"))).isEqualTo(PROTEINS);
        assertThat(sourceFolder()).containsExactly("prots.fasta");
        assertThat(builds).hasValue(1);
    }

    @Test
    void aNameThatExistsIsRefusedUnlessReplacingIsAsked() throws Exception {
        replica.register("prots", PROTEINS, false);
        String before = replica.untilBuilt("prots").version();
        assertThatThrownBy(() -> replica.register("prots", PROTEINS, false))
                .satisfies(problem(409, "DATABASE_EXISTS"));

        replica.register("prots", PROTEINS + ">p3\nMEEPQSDPSV\n", true);
        DatabaseEntry after = replica.untilBuilt("prots");
        assertThat(after.state()).isEqualTo(State.READY);
        assertThat(after.sequences()).isEqualTo(3);
        assertThat(after.version()).isNotEqualTo(before);
        assertThat(sourceFolder()).containsExactly("prots.fasta");
        assertThat(DatabaseReplica.builtFolders(storeRoot)).containsExactly("prots");
    }

    @Test
    void badNamesAreRefusedBeforeAnythingIsWritten() {
        for (String name : new String[] {"../escape", ".hidden", "", "a/b", "x".repeat(65), "sp ace"}) {
            assertThatThrownBy(() -> replica.register(name, PROTEINS, false)).as(name)
                    .satisfies(problem(400, "INVALID_DATABASE_NAME"));
        }
        assertThatThrownBy(() -> replica.uploads.register(null, InputStream.nullInputStream(), false))
                .satisfies(problem(400, "INVALID_DATABASE_NAME"));
        assertThat(sourceFolder()).isEmpty();
    }

    @Test
    void invalidFastaIsRefusedWithItsCodeAndLeavesNothingInTheSourceFolder() {
        assertThatThrownBy(() -> replica.register("bad", ">a\nMK1\n", false))
                .satisfies(problem(400, "INVALID_FASTA"))
                .satisfies(e -> assertThat(((ProblemException) e).problem().errors())
                        .extracting(Problem.FieldError::field).containsExactly("fasta"));
        assertThatThrownBy(() -> replica.register("empty", "", false)).satisfies(problem(400, "INVALID_FASTA"));
        assertThat(sourceFolder()).isEmpty();
        assertThat(replica.registry.list()).isEmpty();
        assertThat(builds).hasValue(0);
    }

    @Test
    void aFastaOverTheUploadLimitIsRefusedWith413() {
        String big = ">big\n" + "MKVLAAGIVG\n".repeat((int) (MAX_UPLOAD / 11) + 1);
        assertThatThrownBy(() -> replica.register("big", big, false)).satisfies(problem(413, "INPUT_TOO_LARGE"));
        assertThat(sourceFolder()).isEmpty();
    }

    @Test
    void aFailedBuildTakesItsSourceAwayAndIsListedAsFailedWithTheError() throws Exception {
        makeblastdb.set((task, lines, cancellation) -> new ToolExecutor.Result(1, "BLAST options error: no space"));
        replica.register("prots", PROTEINS, false);
        DatabaseEntry failed = replica.untilBuilt("prots");

        assertThat(failed.state()).isEqualTo(State.FAILED);
        assertThat(failed.error()).contains("exit 1").contains("no space");
        assertThat(failed.type()).isEqualTo(SequenceType.PROTEIN);
        assertThat(sourceFolder()).isEmpty();
        assertThat(DatabaseReplica.builtFolders(storeRoot)).isEmpty();
        assertThat(replica.registry.find("prots")).isEmpty();
        // another replica sees the failure too, and the name is free again
        try (DatabaseReplica other = replica()) {
            assertThat(other.registry.status("prots"))
                    .hasValueSatisfying(e -> assertThat(e.state()).isEqualTo(State.FAILED));
        }
        makeblastdb.set(new LocalToolExecutor());
        replica.register("prots", PROTEINS, false);
        assertThat(replica.untilBuilt("prots").state()).isEqualTo(State.READY);
    }

    @Test
    void aFailedReplacementPutsTheSourceItReplacedBack() throws Exception {
        replica.register("prots", PROTEINS, false);
        DatabaseEntry before = replica.untilBuilt("prots");
        makeblastdb.set((task, lines, cancellation) -> new ToolExecutor.Result(1, "out of memory"));

        replica.register("prots", PROTEINS + ">p3\nMEEPQSDPSV\n", true);
        DatabaseEntry after = replica.untilBuilt("prots");

        assertThat(after.state()).isEqualTo(State.READY);
        assertThat(after.version()).isEqualTo(before.version());
        assertThat(after.error()).startsWith("Replacing it failed: ").contains("out of memory");
        assertThat(Files.readString(sources.resolve("prots.fasta"))).isEqualTo(PROTEINS);
        assertThat(sourceFolder()).containsExactly("prots.fasta");
        assertThat(replica.registry.find("prots"))
                .hasValueSatisfying(d -> assertThat(d.version()).isEqualTo(before.version()));
    }

    @Test
    void anotherReplicaListsWhatThisOneRegisteredWithoutBuildingIt() throws Exception {
        try (DatabaseReplica other = replica()) {
            replica.register("prots", PROTEINS, false);
            assertThat(other.registry.status("prots")).hasValueSatisfying(e -> assertThat(e.state())
                    .isIn(State.BUILDING, State.READY));
            replica.untilBuilt("prots");
            assertThat(other.registry.list()).singleElement().satisfies(e -> {
                assertThat(e.state()).isEqualTo(State.READY);
                assertThat(e.sequences()).isEqualTo(2);
            });
            assertThat(builds).as("built once, by the replica that registered it").hasValue(1);
        }
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
        return DatabaseReplica.files(sources);
    }
}
