package io.aegis.worker.service;

import io.aegis.sequences.SequenceType;
import io.aegis.worker.domain.BuildMarker;
import io.aegis.worker.domain.FastaSummary;
import io.aegis.worker.domain.SourceStamp;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * Builds one database with {@code makeblastdb -parse_seqids}: into a new folder in the store, its
 * {@link BuildMarker} written last, the folder then renamed into place, so a crash never leaves a
 * half-built database where a search would find it. And reads back what the last build of a name
 * left, to tell whether it is still the build of its source.
 */
@ApplicationScoped
public class DatabaseBuilder {

    /** The longest makeblastdb may run; a build folder older than this is no build in progress. */
    static final Duration TIMEOUT = Duration.ofHours(6);

    private final DatabaseFolders folders;
    private final ToolExecutor tools;

    /** Databases are built by the worker itself, whatever executor runs the searches. */
    @Inject
    public DatabaseBuilder(DatabaseFolders folders, LocalToolExecutor tools) {
        this(folders, (ToolExecutor) tools);
    }

    DatabaseBuilder(DatabaseFolders folders, ToolExecutor tools) {
        this.folders = folders;
        this.tools = tools;
    }

    /**
     * Builds {@code source} as the database {@code name}, replacing its last build.
     *
     * @param summary what the source holds when already read, else null
     * @param folder  the build folder when already made (a registration's claim), else null; removed
     *                when the build fails
     * @throws DatabaseRegistry.BuildFailure when the source cannot be read, is not FASTA or
     *                                       makeblastdb fails
     */
    BlastDatabase build(String name, Path source, FastaSummary summary, Path folder) {
        Path temp = folder;
        try {
            SourceStamp stamp = SourceStamp.of(source);
            if (temp == null) {
                temp = folders.createBuildFolder(name);
            }
            FastaSummary fasta = summary != null ? summary : FastaSummary.of(source);
            Log.infof("Building BLAST database %s (%d %s sequences) from %s", name, fasta.sequences(),
                    fasta.type().name().toLowerCase(Locale.ROOT), source);
            ToolExecutor.Result result = tools.run(ToolExecutor.Task.standalone("makeblastdb",
                    command(name, source, fasta.type(), temp), temp, TIMEOUT), line -> { }, Cancellation.NONE);
            if (result.exitCode() != 0) {
                throw new DatabaseRegistry.BuildFailure("makeblastdb could not build database '" + name + "' (exit "
                        + result.exitCode() + "): " + result.stderrTail(), null);
            }
            try (var out = Files.newBufferedWriter(temp.resolve(BuildMarker.FILE))) {
                new BuildMarker(fasta, stamp).toProperties()
                        .store(out, "Aegis database " + name + ", built from " + source.getFileName());
            }
            replace(folders.built(name), temp);
            temp = null;
            return database(name, fasta);
        } catch (IOException e) {
            throw new DatabaseRegistry.BuildFailure("Database '" + name + "' could not be built: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e instanceof DatabaseRegistry.BuildFailure failure ? failure
                    : new DatabaseRegistry.BuildFailure("Database '" + name + "' could not be built: " + e.getMessage(), e);
        } finally {
            FileTrees.deleteQuietly(temp);
        }
    }

    /** The makeblastdb command that builds {@code source} into {@code folder}, with the sequence ids kept. */
    static List<String> command(String name, Path source, SequenceType type, Path folder) {
        return List.of("makeblastdb", "-in", source.toString(), "-dbtype", type == SequenceType.PROTEIN ? "prot" : "nucl",
                "-out", folder.resolve(name).toString(), "-parse_seqids", "-title", name);
    }

    /** The marker of the last build of a name, whatever source it was built from. */
    Optional<BuildMarker> lastBuild(String name) {
        try (var in = Files.newBufferedReader(folders.built(name).resolve(BuildMarker.FILE))) {
            Properties p = new Properties();
            p.load(in);
            return BuildMarker.read(p);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether the index of a build is there (it is gone when someone removed it by hand). */
    boolean indexed(String name, BuildMarker build) {
        return Files.isRegularFile(folders.built(name).resolve(build.indexFile(name)));
    }

    /** The built database when its last build is of the source as it is now and its index is there. */
    Optional<BlastDatabase> current(String name, Path source) {
        SourceStamp now = SourceStamp.find(source).orElse(null);
        return lastBuild(name).filter(b -> b.builtFrom(now)).filter(b -> indexed(name, b))
                .map(b -> database(name, b.summary()));
    }

    private BlastDatabase database(String name, FastaSummary summary) {
        return new BlastDatabase(name, summary.type(), summary.sequences(), summary.residues(), summary.version(),
                folders.built(name).resolve(name));
    }

    /** Two renames: at every moment the name holds a complete build or nothing. */
    private static void replace(Path dir, Path built) throws IOException {
        Path old = null;
        if (Files.exists(dir)) {
            old = DatabaseFolders.replaced(dir);
            Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(built, dir, StandardCopyOption.ATOMIC_MOVE);
        FileTrees.deleteQuietly(old);
    }
}
