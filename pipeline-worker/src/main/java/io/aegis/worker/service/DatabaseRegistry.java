package io.aegis.worker.service;

import io.aegis.events.StoreLayout;
import io.aegis.sequences.Fasta;
import io.aegis.sequences.FastaRecord;
import io.aegis.sequences.SequenceType;
import io.aegis.worker.config.WorkerConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The BLAST databases this worker can search: every {@code <name>.fasta} of the source folder,
 * built with {@code makeblastdb} into {@code <store>/databases/<name>/} when missing or when its
 * source changed (size or modification time differ from the build's marker file). A build goes
 * to a temporary folder first and is renamed into place, so a crash never leaves a half-built
 * database where a search would find it.
 */
@ApplicationScoped
public class DatabaseRegistry {

    /** A database that exists as a source but could not be built. */
    public static final class BuildFailure extends RuntimeException {
        BuildFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static final String MARKER = "aegis-database.properties";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String BUILDING = ".building-";
    private static final String REPLACED = ".replaced-";
    private static final Duration LEFTOVER_AGE = Duration.ofHours(24);
    private static final Duration BUILD_TIMEOUT = Duration.ofHours(6);

    private final Path sourceDir;
    private final StoreLayout store;
    private final ToolExecutor tools;
    private final Map<String, BlastDatabase> databases = new ConcurrentHashMap<>();

    @Inject
    public DatabaseRegistry(WorkerConfig config, LocalToolExecutor tools) {
        this(config.databases().sourceDir(), new StoreLayout(config.store().root()), tools);
    }

    DatabaseRegistry(Path sourceDir, StoreLayout store, ToolExecutor tools) {
        this.sourceDir = sourceDir.toAbsolutePath().normalize();
        this.store = store;
        this.tools = tools;
    }

    void onStart(@Observes StartupEvent start) {
        refresh();
    }

    /** The registered databases, by name. */
    public List<BlastDatabase> list() {
        return databases.values().stream().sorted(Comparator.comparing(BlastDatabase::name)).toList();
    }

    /**
     * The database by name, built first when missing or stale; empty when there is no such source.
     *
     * @throws BuildFailure when the source exists but makeblastdb could not build it
     */
    public synchronized Optional<BlastDatabase> find(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        Path source = sourceDir.resolve(name + ".fasta");
        if (!Files.isRegularFile(source)) {
            databases.remove(name);
            return Optional.empty();
        }
        BlastDatabase database = current(name, source).orElseGet(() -> build(name, source));
        databases.put(name, database);
        return Optional.of(database);
    }

    /** Builds every source that is missing or stale, and forgets databases whose source is gone. */
    public synchronized void refresh() {
        if (!Files.isDirectory(sourceDir)) {
            Log.warnf("No database folder at %s: no databases registered", sourceDir);
            databases.clear();
            return;
        }
        removeLeftovers();
        databases.keySet().removeIf(name -> !Files.isRegularFile(sourceDir.resolve(name + ".fasta")));
        try (Stream<Path> files = Files.list(sourceDir)) {
            for (Path file : files.filter(p -> p.getFileName().toString().endsWith(".fasta")).sorted().toList()) {
                String name = file.getFileName().toString().replaceFirst("\\.fasta$", "");
                try {
                    find(name);
                } catch (RuntimeException e) {
                    Log.errorf(e, "Database %s could not be built", name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The built database when its marker matches the source as it is now and its index is there. */
    private Optional<BlastDatabase> current(String name, Path source) {
        Path dir = store.database(name);
        Path marker = dir.resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            return Optional.empty();
        }
        try (var in = Files.newBufferedReader(marker)) {
            Properties p = new Properties();
            p.load(in);
            SequenceType type = SequenceType.valueOf(p.getProperty("type"));
            boolean fresh = Long.parseLong(p.getProperty("source-size")) == Files.size(source)
                    && Long.parseLong(p.getProperty("source-modified")) == Files.getLastModifiedTime(source).toMillis()
                    && Files.isRegularFile(dir.resolve(name + (type == SequenceType.PROTEIN ? ".pin" : ".nin")));
            return fresh ? Optional.of(new BlastDatabase(name, type, Long.parseLong(p.getProperty("sequences")),
                    Long.parseLong(p.getProperty("residues")), p.getProperty("version"), dir.resolve(name)))
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private BlastDatabase build(String name, Path source) {
        Path dir = store.database(name);
        Path temp = null;
        try {
            long size = Files.size(source);
            long modified = Files.getLastModifiedTime(source).toMillis();
            List<FastaRecord> records = Fasta.parse(Files.readString(source));
            SequenceType type = SequenceType.of(records);
            long residues = records.stream().mapToLong(FastaRecord::length).sum();
            String version = digest(source);
            Files.createDirectories(dir.getParent());
            temp = Files.createTempDirectory(dir.getParent(), name + BUILDING);
            Log.infof("Building BLAST database %s (%d %s sequences) from %s", name, records.size(),
                    type.name().toLowerCase(Locale.ROOT), source);
            ToolExecutor.Result result = tools.run(ToolExecutor.Task.standalone("makeblastdb", List.of("makeblastdb",
                    "-in", source.toString(), "-dbtype", type == SequenceType.PROTEIN ? "prot" : "nucl",
                    "-out", temp.resolve(name).toString(), "-parse_seqids", "-title", name), temp, BUILD_TIMEOUT),
                    line -> { }, Cancellation.NONE);
            if (result.exitCode() != 0) {
                throw new BuildFailure("makeblastdb could not build database '" + name + "' (exit "
                        + result.exitCode() + "): " + result.stderrTail(), null);
            }
            Properties marker = new Properties();
            marker.setProperty("type", type.name());
            marker.setProperty("sequences", Long.toString(records.size()));
            marker.setProperty("residues", Long.toString(residues));
            marker.setProperty("version", version);
            marker.setProperty("source-size", Long.toString(size));
            marker.setProperty("source-modified", Long.toString(modified));
            try (var out = Files.newBufferedWriter(temp.resolve(MARKER))) {
                marker.store(out, "Aegis database " + name + ", built from " + source.getFileName());
            }
            replace(dir, temp);
            temp = null;
            return new BlastDatabase(name, type, records.size(), residues, version, dir.resolve(name));
        } catch (IOException e) {
            throw new BuildFailure("Database '" + name + "' could not be built: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e instanceof BuildFailure failure ? failure
                    : new BuildFailure("Database '" + name + "' could not be built: " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /** Two renames: at every moment the name holds a complete build or nothing. */
    private static void replace(Path dir, Path built) throws IOException {
        Path old = null;
        if (Files.exists(dir)) {
            old = dir.resolveSibling(dir.getFileName() + REPLACED + UUID.randomUUID());
            Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(built, dir, StandardCopyOption.ATOMIC_MOVE);
        deleteQuietly(old);
    }

    /**
     * Half-built or replaced databases a crash left behind. Only old ones: replicas sharing a store
     * may be building right now.
     */
    private void removeLeftovers() {
        Path parent = store.root().resolve("databases");
        if (!Files.isDirectory(parent)) {
            return;
        }
        Instant before = Instant.now().minus(LEFTOVER_AGE);
        try (Stream<Path> dirs = Files.list(parent)) {
            dirs.filter(p -> p.getFileName().toString().contains(BUILDING)
                            || p.getFileName().toString().contains(REPLACED))
                    .filter(p -> modifiedBefore(p, before))
                    .forEach(DatabaseRegistry::deleteQuietly);
        } catch (IOException e) {
            Log.warnf("Cannot look for leftover builds in %s: %s", parent, e.getMessage());
        }
    }

    /** A short digest of the source: the database's version. */
    static String digest(Path file) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean modifiedBefore(Path path, Instant instant) {
        try {
            return Files.getLastModifiedTime(path).toInstant().isBefore(instant);
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            Log.warnf("Cannot remove %s: %s", dir, e.getMessage());
        }
    }
}
