package io.aegis.worker.service;

import io.aegis.events.StoreLayout;
import io.aegis.pipelines.DatabaseNames;
import io.aegis.worker.config.WorkerConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Where the databases live: their sources ({@code <name>.fasta} in the source folder) and their
 * builds ({@code <store>/databases/<name>/}), both shared by the replicas. Work in progress sits
 * beside them under names of its own: {@code .<name>.upload-<n>} and {@code .<name>.previous-<n>}
 * in the source folder (hidden, and no {@code .fasta}), {@code <name>.building-<n>} and
 * {@code <name>.replaced-<n>} in the store.
 */
@ApplicationScoped
public class DatabaseFolders {

    private static final String FASTA = ".fasta";
    private static final String BUILDING = ".building-";
    private static final String REPLACED = ".replaced-";
    /** A registration while it is written and checked. */
    private static final String UPLOAD = ".upload-";
    /** The source a registration replaces, until the new one is built. */
    private static final String PREVIOUS = ".previous-";
    /** In the store's databases folder; a leading dot cannot start a database name. */
    private static final String FAILURES = ".failed";

    private final Path sourceDir;
    private final StoreLayout store;

    @Inject
    public DatabaseFolders(WorkerConfig config) {
        this(config.databases().sourceDir(), new StoreLayout(config.store().root()));
    }

    DatabaseFolders(Path sourceDir, StoreLayout store) {
        this.sourceDir = sourceDir.toAbsolutePath().normalize();
        this.store = store;
    }

    static boolean validName(String name) {
        return DatabaseNames.valid(name);
    }

    Path sourceDir() {
        return sourceDir;
    }

    Path source(String name) {
        return sourceDir.resolve(name + FASTA);
    }

    /** The names of the sources in the source folder. */
    Set<String> sourceNames() {
        return namesIn(sourceDir, FASTA);
    }

    /** The folder of a name's build. */
    Path built(String name) {
        return store.database(name);
    }

    /** The store's folder of builds, those in progress too. */
    Path builds() {
        return store.root().resolve("databases");
    }

    /** The failure records, {@code <name>.properties}. */
    Path failures() {
        return builds().resolve(FAILURES);
    }

    /** A new folder to build a name in; while it is there, replicas take the name as being built. */
    Path createBuildFolder(String name) throws IOException {
        Files.createDirectories(builds());
        return Files.createTempDirectory(builds(), name + BUILDING);
    }

    /** A new hidden file in the source folder to write a registration of a name to. */
    Path createUpload(String name) throws IOException {
        Files.createDirectories(sourceDir);
        return Files.createTempFile(sourceDir, "." + name + UPLOAD, "");
    }

    /** Where the source of a name is kept while a registration replaces it. */
    Path previous(String name) {
        return sourceDir.resolve("." + name + PREVIOUS + UUID.randomUUID());
    }

    /** Where a build is moved aside while its replacement takes its place. */
    static Path replaced(Path built) {
        return built.resolveSibling(built.getFileName() + REPLACED + UUID.randomUUID());
    }

    /** The names whose build folder was made after {@code since}: some replica is building them. */
    Set<String> building(Instant since) {
        Set<String> names = new HashSet<>();
        try (Stream<Path> dirs = Files.list(builds())) {
            dirs.filter(p -> p.getFileName().toString().contains(BUILDING))
                    .filter(p -> !modifiedBefore(p, since))
                    .forEach(p -> names.add(buildingName(p.getFileName().toString())));
        } catch (NoSuchFileException e) {
            // nothing built yet
        } catch (IOException e) {
            Log.warnf("Cannot look for builds in progress: %s", e.getMessage());
        }
        return names;
    }

    /** The name a build folder {@code <name>.building-<n>} is for. */
    static String buildingName(String folder) {
        return folder.substring(0, folder.indexOf(BUILDING));
    }

    /** Whether a file of the store's databases folder is a build in progress or one moved aside. */
    static boolean isBuildWork(String file) {
        return file.contains(BUILDING) || file.contains(REPLACED);
    }

    /** Whether a file of the source folder is a registration in progress or a source kept aside. */
    static boolean isSourceWork(String file) {
        return file.startsWith(".") && (file.contains(UPLOAD) || file.contains(PREVIOUS));
    }

    /** The database names of the files {@code <name><suffix>} in a folder. */
    static Set<String> namesIn(Path dir, String suffix) {
        Set<String> names = new HashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(suffix))
                    .map(f -> f.substring(0, f.length() - suffix.length()))
                    .filter(DatabaseFolders::validName)
                    .forEach(names::add);
        } catch (NoSuchFileException e) {
            // nothing there yet
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    static boolean modifiedBefore(Path path, Instant instant) {
        try {
            return Files.getLastModifiedTime(path).toInstant().isBefore(instant);
        } catch (IOException e) {
            return false;
        }
    }
}
