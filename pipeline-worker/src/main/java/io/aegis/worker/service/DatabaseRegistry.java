package io.aegis.worker.service;

import io.aegis.events.Problem;
import io.aegis.events.ProblemException;
import io.aegis.events.StoreLayout;
import io.aegis.sequences.FastaException;
import io.aegis.sequences.SequenceType;
import io.aegis.worker.config.WorkerConfig;
import io.aegis.worker.domain.FastaSummary;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The BLAST databases this worker can search: every {@code <name>.fasta} of the source folder,
 * built with {@code makeblastdb} into {@code <store>/databases/<name>/} when missing or when its
 * source changed (size or modification time differ from the build's marker file). A build goes
 * to a temporary folder first and is renamed into place, so a crash never leaves a half-built
 * database where a search would find it.
 *
 * <p>Registering writes a new source through a temporary file renamed into place, so a half-written
 * source is never seen, and builds it on one background thread. A registration whose build fails
 * takes its source away again (or puts back the source it replaced), so a broken database never
 * looks registered, and leaves a failure record in the store, listed for a day.
 *
 * <p>Replicas share the source folder and the store, so the listing is read from them each time
 * (a directory listing and one small marker file per database): a database another replica
 * registered is listed here as building, then ready. Only the replica that registered a database
 * builds it; a source nobody builds (one copied in by hand) is built by the replica that lists it
 * first.
 */
@ApplicationScoped
public class DatabaseRegistry {

    /** A database that exists as a source but could not be built. */
    public static final class BuildFailure extends RuntimeException {
        BuildFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public enum State {
        BUILDING, READY, FAILED
    }

    /**
     * A database as the registry lists it. While another replica builds it only the name is known;
     * a ready database whose replacement failed keeps its {@code error}.
     */
    public record Entry(String name, State state, SequenceType type, Long sequences, Long residues, String version,
                        String error) {
    }

    /** A build running (or queued) on this replica; {@code summary} is known for registrations. */
    private record Build(CompletableFuture<BlastDatabase> done, FastaSummary summary) {

        Build(FastaSummary summary) {
            this(new CompletableFuture<>(), summary);
        }
    }

    static final String MARKER = "aegis-database.properties";
    /** The names a database may have: they become file names. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String FASTA = ".fasta";
    private static final String BUILDING = ".building-";
    private static final String REPLACED = ".replaced-";
    /** In the source folder: {@code .<name>.upload-<n>} while a registration is written and checked. */
    private static final String UPLOAD = ".upload-";
    /** In the source folder: {@code .<name>.previous-<n>}, the source a registration replaces, until it is built. */
    private static final String PREVIOUS = ".previous-";
    /** In the store's databases folder; a leading dot cannot start a database name. */
    private static final String FAILURES = ".failed";
    private static final Duration LEFTOVER_AGE = Duration.ofHours(24);
    private static final Duration BUILD_TIMEOUT = Duration.ofHours(6);

    private final Path sourceDir;
    private final StoreLayout store;
    private final ToolExecutor tools;
    private final long maxUploadBytes;
    private final Map<String, Build> builds = new ConcurrentHashMap<>();
    private final ExecutorService builder = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("database-builder").daemon().factory());
    private volatile boolean closing;

    @Inject
    public DatabaseRegistry(WorkerConfig config, LocalToolExecutor tools) {
        this(config.databases().sourceDir(), new StoreLayout(config.store().root()), tools,
                config.databases().maxUploadBytes());
    }

    DatabaseRegistry(Path sourceDir, StoreLayout store, ToolExecutor tools, long maxUploadBytes) {
        this.sourceDir = sourceDir.toAbsolutePath().normalize();
        this.store = store;
        this.tools = tools;
        this.maxUploadBytes = maxUploadBytes;
    }

    void onStart(@Observes StartupEvent start) {
        refresh();
    }

    /** Stops building; a registration cut short keeps its source and is built at the next start. */
    @PreDestroy
    void close() {
        closing = true;
        builder.shutdownNow();
    }

    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    // ------------------------------------------------------------------------------------ listing

    /** Every database, by name: ready, building (here or on another replica) or failed. */
    public List<Entry> list() {
        Set<String> names = new HashSet<>(sourceNames());
        names.addAll(builds.keySet());
        names.addAll(failureNames());
        Set<String> claimed = claimedInStore();
        Map<String, Entry> entries = new TreeMap<>();
        for (String name : names) {
            entry(name, claimed).ifPresent(e -> entries.put(name, e));
        }
        return List.copyOf(entries.values());
    }

    /** One database as {@link #list()} shows it. */
    public Optional<Entry> status(String name) {
        return validName(name) ? entry(name, claimedInStore()) : Optional.empty();
    }

    private Optional<Entry> entry(String name, Set<String> claimed) {
        Build running = builds.get(name);
        Path source = source(name);
        Optional<Properties> failure = failure(name);
        if (!Files.isRegularFile(source)) {
            // a registration a moment before its source is renamed into place, or one that failed
            return running != null ? Optional.of(building(name, running.summary())) : failure.map(f -> failed(name, f));
        }
        Optional<Properties> marker = marker(name).filter(p -> builtFrom(p, source));
        Optional<BlastDatabase> ready = marker.flatMap(p -> database(name, p));
        if (running == null && ready.isPresent()) {
            BlastDatabase d = ready.get();
            return Optional.of(new Entry(name, State.READY, d.type(), d.sequences(), d.residues(), d.version(),
                    failure.map(f -> "Replacing it failed: " + f.getProperty("error")).orElse(null)));
        }
        // what is being built: known for a registration, or from the last build of the same source
        FastaSummary known = running != null && running.summary() != null ? running.summary()
                : marker.map(DatabaseRegistry::summaryOrNull).orElse(null);
        if (running == null && failure.isPresent() && builtFrom(failure.get(), source)) {
            return Optional.of(failed(name, failure.get()));
        }
        if (running == null && !claimed.contains(name)) {
            buildInBackground(name);
        }
        return Optional.of(building(name, known));
    }

    private static Entry building(String name, FastaSummary summary) {
        return summary == null ? new Entry(name, State.BUILDING, null, null, null, null, null)
                : new Entry(name, State.BUILDING, summary.type(), summary.sequences(), summary.residues(),
                summary.version(), null);
    }

    private static Entry failed(String name, Properties f) {
        String type = f.getProperty("type");
        return new Entry(name, State.FAILED, type == null ? null : SequenceType.valueOf(type), longOrNull(f, "sequences"),
                longOrNull(f, "residues"), f.getProperty("version"), f.getProperty("error"));
    }

    // ---------------------------------------------------------------------------- finding for jobs

    /**
     * The database by name, built first when missing or stale; empty when there is no such source.
     * A build of it running here is waited for.
     *
     * @throws BuildFailure when the source exists but makeblastdb could not build it
     */
    public Optional<BlastDatabase> find(String name) {
        if (!validName(name)) {
            return Optional.empty();
        }
        Build running = builds.get(name);
        if (running != null) {
            // its outcome decides what there is: a registration that fails takes its source away
            awaitQuietly(running);
        }
        Path source = source(name);
        if (!Files.isRegularFile(source)) {
            return Optional.empty();
        }
        Optional<BlastDatabase> ready = current(name, source);
        if (ready.isPresent()) {
            return ready;
        }
        Build mine = new Build(null);
        Build other = builds.putIfAbsent(name, mine);
        if (other != null) {
            return Optional.of(await(other));
        }
        try {
            BlastDatabase database = buildRecorded(name, source, null, null);
            mine.done().complete(database);
            return Optional.of(database);
        } catch (RuntimeException e) {
            mine.done().completeExceptionally(e);
            throw e;
        } finally {
            builds.remove(name, mine);
        }
    }

    /** Builds every source that is missing or stale, and removes what old crashes left behind. */
    public void refresh() {
        if (!Files.isDirectory(sourceDir)) {
            Log.warnf("No database folder at %s: no databases registered", sourceDir);
            return;
        }
        removeLeftovers();
        for (String name : sourceNames()) {
            try {
                find(name);
            } catch (BuildFailure e) {
                // logged and recorded where it failed; listed as failed
            } catch (RuntimeException e) {
                Log.errorf(e, "Database %s could not be built", name);
            }
        }
    }

    // --------------------------------------------------------------------------------- registering

    /**
     * Registers {@code fasta} as the database {@code name}: checks it, puts it into the source folder
     * and starts building it. Answers at once with the database building.
     *
     * @param replace whether an existing database of that name is replaced; without it, a name that
     *                exists is refused
     * @throws ProblemException 400 for a bad name or FASTA, 409 for a name taken, 413 for a FASTA over the limit
     */
    public Entry register(String name, InputStream fasta, boolean replace) {
        if (!validName(name)) {
            throw invalid("INVALID_DATABASE_NAME", "name", "A database name is 1 to 64 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit.");
        }
        refuseTaken(name, replace);
        Path upload = null;
        try {
            Files.createDirectories(sourceDir);
            upload = Files.createTempFile(sourceDir, "." + name + UPLOAD, "");
            write(fasta, upload);
            FastaSummary summary;
            try {
                summary = FastaSummary.of(upload);
            } catch (FastaException e) {
                throw invalid(e.code(), "fasta", e.getMessage());
            }
            Entry entry = publish(name, upload, summary, replace);
            upload = null;
            return entry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(upload);
        }
    }

    private void refuseTaken(String name, boolean replace) {
        if (builds.containsKey(name) || replace && claimedInStore().contains(name)) {
            throw new ProblemException(409, "DATABASE_BUILDING", "Database is being built",
                    "The database '" + name + "' is being built; wait until it is ready or failed.");
        }
        if (!replace && Files.exists(source(name))) {
            throw new ProblemException(409, "DATABASE_EXISTS", "Database exists",
                    "A database '" + name + "' exists; ask for replace=true to replace it.");
        }
    }

    /** Copies the upload, refusing it once it outgrows the limit, and makes it durable before it is renamed. */
    private void write(InputStream fasta, Path upload) throws IOException {
        try (OutputStream out = Files.newOutputStream(upload)) {
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            for (int n = fasta.read(buffer); n >= 0; n = fasta.read(buffer)) {
                total += n;
                if (total > maxUploadBytes) {
                    throw tooLarge(maxUploadBytes);
                }
                out.write(buffer, 0, n);
            }
        }
        try (FileChannel channel = FileChannel.open(upload, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        // a temporary file is private; a source is readable like one copied in by hand
        try {
            Files.setPosixFilePermissions(upload, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: as created
        }
    }

    /** Renames the checked upload into place and queues its build, the name checked again under the lock. */
    private synchronized Entry publish(String name, Path upload, FastaSummary summary, boolean replace)
            throws IOException {
        refuseTaken(name, replace);
        Path source = source(name);
        Build build = new Build(summary);
        builds.put(name, build);
        Path previous = null;
        Path claim = null;
        try {
            // a build folder in the store tells other replicas that this one builds it
            claim = createBuildFolder(name);
            previous = Files.exists(source) ? keepPrevious(name, source) : null;
            Files.move(upload, source, StandardCopyOption.ATOMIC_MOVE);
            clearFailure(name);
            Path claimed = claim;
            Path kept = previous;
            Log.infof("Registered database %s (%d %s sequences, version %s); building it", name, summary.sequences(),
                    lower(summary.type()), summary.version());
            builder.execute(() -> buildRegistration(name, source, build, kept, claimed));
        } catch (IOException | RuntimeException e) {
            deleteQuietly(previous);
            deleteQuietly(claim);
            builds.remove(name, build);
            build.done().completeExceptionally(e);
            if (e instanceof RejectedExecutionException) {
                throw new ProblemException(503, "SERVICE_UNAVAILABLE", "Service unavailable", "The worker is stopping.");
            }
            throw e;
        }
        return building(name, summary);
    }

    /** A link to (or else a copy of) the source being replaced, with its modification time, to put back on failure. */
    private static Path keepPrevious(String name, Path source) throws IOException {
        Path previous = source.resolveSibling("." + name + PREVIOUS + UUID.randomUUID());
        try {
            Files.createLink(previous, source);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(source, previous, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return previous;
    }

    private void buildRegistration(String name, Path source, Build build, Path previous, Path claim) {
        try {
            BlastDatabase database = buildRecorded(name, source, build.summary(), claim);
            deleteQuietly(previous);
            build.done().complete(database);
            Log.infof("Database %s is ready", name);
        } catch (RuntimeException e) {
            if (!closing) {
                // a broken database never looks registered: its source goes, or the one it replaced comes back
                try {
                    if (previous != null) {
                        Files.move(previous, source, StandardCopyOption.ATOMIC_MOVE);
                    } else {
                        Files.deleteIfExists(source);
                    }
                } catch (IOException io) {
                    Log.errorf(io, "Cannot take the source of failed database %s away", name);
                }
            }
            build.done().completeExceptionally(e);
        } finally {
            builds.remove(name, build);
        }
    }

    /** Builds a source nobody builds, on the build thread. */
    private void buildInBackground(String name) {
        Build build = new Build(null);
        if (closing || builds.putIfAbsent(name, build) != null) {
            return;
        }
        try {
            builder.execute(() -> {
                try {
                    build.done().complete(buildRecorded(name, source(name), null, null));
                } catch (RuntimeException e) {
                    build.done().completeExceptionally(e);
                } finally {
                    builds.remove(name, build);
                }
            });
        } catch (RejectedExecutionException e) {
            builds.remove(name, build);
        }
    }

    // ------------------------------------------------------------------------------------- building

    /** Builds, and keeps a failure record in the store so every replica lists the failure. */
    private BlastDatabase buildRecorded(String name, Path source, FastaSummary summary, Path claim) {
        try {
            BlastDatabase database = build(name, source, summary, claim);
            clearFailure(name);
            return database;
        } catch (BuildFailure e) {
            if (!closing) {
                Log.errorf("Database %s: %s", name, e.getMessage());
                recordFailure(name, source, summary, e.getMessage());
            }
            throw e;
        }
    }

    /** The built database when its marker matches the source as it is now and its index is there. */
    private Optional<BlastDatabase> current(String name, Path source) {
        return marker(name).filter(p -> builtFrom(p, source)).flatMap(p -> database(name, p));
    }

    /** The marker of the last build of a name, whatever source it was built from. */
    private Optional<Properties> marker(String name) {
        Path marker = store.database(name).resolve(MARKER);
        try (var in = Files.newBufferedReader(marker)) {
            Properties p = new Properties();
            p.load(in);
            return Optional.of(p);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The database a marker describes, when its index is there. */
    private Optional<BlastDatabase> database(String name, Properties marker) {
        try {
            FastaSummary built = summary(marker);
            Path prefix = store.database(name).resolve(name);
            String index = name + (built.type() == SequenceType.PROTEIN ? ".pin" : ".nin");
            return Files.isRegularFile(prefix.resolveSibling(index))
                    ? Optional.of(new BlastDatabase(name, built.type(), built.sequences(), built.residues(),
                    built.version(), prefix))
                    : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static FastaSummary summaryOrNull(Properties marker) {
        try {
            return summary(marker);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static FastaSummary summary(Properties marker) {
        return new FastaSummary(SequenceType.valueOf(marker.getProperty("type")),
                Long.parseLong(marker.getProperty("sequences")), Long.parseLong(marker.getProperty("residues")),
                marker.getProperty("version"));
    }

    /** Whether a marker or failure record was written for the source as it is now (same size and modification time). */
    private static boolean builtFrom(Properties p, Path source) {
        try {
            return Long.parseLong(p.getProperty("source-size")) == Files.size(source)
                    && Long.parseLong(p.getProperty("source-modified")) == Files.getLastModifiedTime(source).toMillis();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * @param summary the source's summary when already read, else null
     * @param temp    the build folder when already made, else null
     */
    private BlastDatabase build(String name, Path source, FastaSummary summary, Path temp) {
        Path dir = store.database(name);
        try {
            long size = Files.size(source);
            long modified = Files.getLastModifiedTime(source).toMillis();
            if (temp == null) {
                temp = createBuildFolder(name);
            }
            FastaSummary fasta = summary != null ? summary : FastaSummary.of(source);
            Log.infof("Building BLAST database %s (%d %s sequences) from %s", name, fasta.sequences(),
                    lower(fasta.type()), source);
            ToolExecutor.Result result = tools.run(ToolExecutor.Task.standalone("makeblastdb", List.of("makeblastdb",
                    "-in", source.toString(), "-dbtype", fasta.type() == SequenceType.PROTEIN ? "prot" : "nucl",
                    "-out", temp.resolve(name).toString(), "-parse_seqids", "-title", name), temp, BUILD_TIMEOUT),
                    line -> { }, Cancellation.NONE);
            if (result.exitCode() != 0) {
                throw new BuildFailure("makeblastdb could not build database '" + name + "' (exit "
                        + result.exitCode() + "): " + result.stderrTail(), null);
            }
            Properties marker = new Properties();
            marker.setProperty("type", fasta.type().name());
            marker.setProperty("sequences", Long.toString(fasta.sequences()));
            marker.setProperty("residues", Long.toString(fasta.residues()));
            marker.setProperty("version", fasta.version());
            marker.setProperty("source-size", Long.toString(size));
            marker.setProperty("source-modified", Long.toString(modified));
            try (var out = Files.newBufferedWriter(temp.resolve(MARKER))) {
                marker.store(out, "Aegis database " + name + ", built from " + source.getFileName());
            }
            replace(dir, temp);
            temp = null;
            return new BlastDatabase(name, fasta.type(), fasta.sequences(), fasta.residues(), fasta.version(),
                    dir.resolve(name));
        } catch (IOException e) {
            throw new BuildFailure("Database '" + name + "' could not be built: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e instanceof BuildFailure failure ? failure
                    : new BuildFailure("Database '" + name + "' could not be built: " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    private Path createBuildFolder(String name) throws IOException {
        Path parent = store.database(name).getParent();
        Files.createDirectories(parent);
        return Files.createTempDirectory(parent, name + BUILDING);
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

    // ------------------------------------------------------------------------------ failure records

    private Path failures() {
        return store.root().resolve("databases").resolve(FAILURES);
    }

    private void recordFailure(String name, Path source, FastaSummary summary, String error) {
        Properties p = new Properties();
        p.setProperty("error", error);
        p.setProperty("failed-at", Instant.now().toString());
        try {
            p.setProperty("source-size", Long.toString(Files.size(source)));
            p.setProperty("source-modified", Long.toString(Files.getLastModifiedTime(source).toMillis()));
        } catch (IOException e) {
            // no source to compare with: the record stands for the name
        }
        if (summary != null) {
            p.setProperty("type", summary.type().name());
            p.setProperty("sequences", Long.toString(summary.sequences()));
            p.setProperty("residues", Long.toString(summary.residues()));
            p.setProperty("version", summary.version());
        }
        try {
            Files.createDirectories(failures());
            Path temp = Files.createTempFile(failures(), "." + name, ".tmp");
            try (var out = Files.newBufferedWriter(temp)) {
                p.store(out, "Aegis database " + name + ": the last build failed");
            }
            Files.move(temp, failures().resolve(name + ".properties"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Log.warnf("Cannot record the failure of database %s: %s", name, e.getMessage());
        }
    }

    private void clearFailure(String name) {
        try {
            Files.deleteIfExists(failures().resolve(name + ".properties"));
        } catch (IOException e) {
            Log.warnf("Cannot remove the failure record of database %s: %s", name, e.getMessage());
        }
    }

    /** The failure record of a name, unless it is older than a day. */
    private Optional<Properties> failure(String name) {
        Path file = failures().resolve(name + ".properties");
        try (var in = Files.newBufferedReader(file)) {
            Properties p = new Properties();
            p.load(in);
            if (Instant.parse(p.getProperty("failed-at")).isBefore(Instant.now().minus(LEFTOVER_AGE))) {
                return Optional.empty();
            }
            return Optional.of(p);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            Log.warnf("Unreadable failure record %s: %s", file, e.getMessage());
            return Optional.empty();
        }
    }

    private Set<String> failureNames() {
        return namesIn(failures(), ".properties");
    }

    // ---------------------------------------------------------------------------------- the folders

    private Path source(String name) {
        return sourceDir.resolve(name + FASTA);
    }

    private Set<String> sourceNames() {
        return namesIn(sourceDir, FASTA);
    }

    /** The database names of the files {@code <name><suffix>} in a folder. */
    private static Set<String> namesIn(Path dir, String suffix) {
        Set<String> names = new HashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(suffix))
                    .map(f -> f.substring(0, f.length() - suffix.length()))
                    .filter(DatabaseRegistry::validName)
                    .forEach(names::add);
        } catch (NoSuchFileException e) {
            // nothing there yet
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /** Names some replica is building now: a build folder for them, younger than the longest build, is in the store. */
    private Set<String> claimedInStore() {
        Set<String> names = new HashSet<>();
        Instant since = Instant.now().minus(BUILD_TIMEOUT);
        try (Stream<Path> dirs = Files.list(store.root().resolve("databases"))) {
            dirs.filter(p -> p.getFileName().toString().contains(BUILDING))
                    .filter(p -> !modifiedBefore(p, since))
                    .forEach(p -> {
                        String file = p.getFileName().toString();
                        names.add(file.substring(0, file.indexOf(BUILDING)));
                    });
        } catch (NoSuchFileException e) {
            // nothing built yet
        } catch (IOException e) {
            Log.warnf("Cannot look for builds in progress: %s", e.getMessage());
        }
        return names;
    }

    /**
     * Half-built or replaced databases, half-written registrations and old failure records a crash
     * left behind. Only old ones: replicas sharing a store may be building right now.
     */
    private void removeLeftovers() {
        Instant before = Instant.now().minus(LEFTOVER_AGE);
        removeOld(store.root().resolve("databases"), f -> f.contains(BUILDING) || f.contains(REPLACED), before);
        removeOld(sourceDir, f -> f.startsWith(".") && (f.contains(UPLOAD) || f.contains(PREVIOUS)), before);
        removeOld(failures(), f -> f.endsWith(".properties") || f.endsWith(".tmp"), before);
    }

    private static void removeOld(Path dir, java.util.function.Predicate<String> leftover, Instant before) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.list(dir)) {
            paths.filter(p -> leftover.test(p.getFileName().toString()))
                    .filter(p -> modifiedBefore(p, before))
                    .forEach(DatabaseRegistry::deleteQuietly);
        } catch (IOException e) {
            Log.warnf("Cannot look for leftovers in %s: %s", dir, e.getMessage());
        }
    }

    // -------------------------------------------------------------------------------------- helpers

    private static ProblemException invalid(String code, String field, String detail) {
        return new ProblemException(Problem.of(400, code, "Invalid database", detail)
                .withErrors(List.of(new Problem.FieldError(field, detail))));
    }

    /** The problem for a FASTA over the upload limit. */
    public static ProblemException tooLarge(long maxUploadBytes) {
        return new ProblemException(413, "INPUT_TOO_LARGE", "Upload too large",
                "A database FASTA may have at most " + maxUploadBytes + " bytes.");
    }

    private static BlastDatabase await(Build build) {
        try {
            return build.done().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof BuildFailure failure ? failure
                    : new BuildFailure(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildFailure("Interrupted while the database was built", e);
        }
    }

    private static void awaitQuietly(Build build) {
        try {
            await(build);
        } catch (BuildFailure e) {
            // the caller looks at what the build left
        }
    }

    private static Long longOrNull(Properties p, String key) {
        String value = p.getProperty(key);
        return value == null ? null : Long.valueOf(value);
    }

    private static String lower(SequenceType type) {
        return type.name().toLowerCase(Locale.ROOT);
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
