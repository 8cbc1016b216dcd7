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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The BLAST databases this worker can search: every {@code <name>.fasta} of the source folder,
 * built with {@code makeblastdb} into {@code <store>/databases/<name>/} when missing or stale.
 * A build goes to a temporary folder first and is renamed into place, so a crash never leaves a
 * half-built database.
 */
@ApplicationScoped
public class DatabaseRegistry {

    private static final String MARKER = "aegis-database.properties";

    private final Path sourceDir;
    private final StoreLayout store;
    private final ProcessRunner processes;
    private final Map<String, BlastDatabase> databases = new ConcurrentHashMap<>();
    private final Map<String, String> versions = new ConcurrentHashMap<>();

    public DatabaseRegistry(WorkerConfig config, ProcessRunner processes) {
        this.sourceDir = config.databases().sourceDir().toAbsolutePath();
        this.store = new StoreLayout(config.store().root());
        this.processes = processes;
    }

    void onStart(@Observes StartupEvent start) {
        refresh();
    }

    public List<BlastDatabase> list() {
        return databases.values().stream().sorted(Comparator.comparing(BlastDatabase::name)).toList();
    }

    /** The database by name, rebuilt first when its source changed; empty when there is none. */
    public synchronized Optional<BlastDatabase> find(String name) {
        Path source = sourceDir.resolve(name + ".fasta");
        if (!name.matches("[A-Za-z0-9._-]{1,64}") || !Files.isRegularFile(source)) {
            databases.remove(name);
            return Optional.empty();
        }
        BlastDatabase known = databases.get(name);
        if (known == null || !known.version().equals(versionOf(source))) {
            known = ensureBuilt(name, source);
            databases.put(name, known);
        }
        return Optional.of(known);
    }

    public synchronized void refresh() {
        if (!Files.isDirectory(sourceDir)) {
            Log.warnf("No database folder at %s: no databases registered", sourceDir);
            return;
        }
        try (Stream<Path> files = Files.list(sourceDir)) {
            files.filter(p -> p.getFileName().toString().endsWith(".fasta")).sorted().forEach(p -> {
                String name = p.getFileName().toString().replaceFirst("\\.fasta$", "");
                try {
                    find(name);
                } catch (RuntimeException e) {
                    Log.errorf(e, "Database %s could not be built", name);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private BlastDatabase ensureBuilt(String name, Path source) {
        Path dir = store.database(name);
        String version = versionOf(source);
        Optional<BlastDatabase> built = readMarker(name, dir);
        if (built.isPresent() && built.get().version().equals(version)) {
            return built.get();
        }
        try {
            List<FastaRecord> records = Fasta.parse(Files.readString(source));
            SequenceType type = SequenceType.of(records);
            long residues = records.stream().mapToLong(FastaRecord::length).sum();
            Files.createDirectories(dir.getParent());
            Path temp = Files.createTempDirectory(dir.getParent(), name + ".building-");
            Log.infof("Building BLAST database %s (%d %s sequences) from %s", name, records.size(),
                    type.name().toLowerCase(), source);
            ProcessRunner.Result result = processes.run(List.of("makeblastdb", "-in", source.toString(),
                    "-dbtype", type == SequenceType.PROTEIN ? "prot" : "nucl", "-out", temp.resolve(name).toString(),
                    "-parse_seqids", "-title", name), temp, line -> { });
            if (result.exitCode() != 0) {
                deleteTree(temp);
                throw new IllegalStateException("makeblastdb failed for " + name + ": " + result.stderrTail());
            }
            Properties marker = new Properties();
            marker.setProperty("type", type.name());
            marker.setProperty("sequences", Long.toString(records.size()));
            marker.setProperty("residues", Long.toString(residues));
            marker.setProperty("version", version);
            try (var out = Files.newBufferedWriter(temp.resolve(MARKER))) {
                marker.store(out, "Built by the Aegis pipeline worker from " + source.getFileName());
            }
            deleteTree(dir);
            Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
            return new BlastDatabase(name, type, records.size(), residues, version, dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot build database " + name, e);
        }
    }

    private static Optional<BlastDatabase> readMarker(String name, Path dir) {
        Path marker = dir.resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            return Optional.empty();
        }
        try (var in = Files.newBufferedReader(marker)) {
            Properties p = new Properties();
            p.load(in);
            return Optional.of(new BlastDatabase(name, SequenceType.valueOf(p.getProperty("type")),
                    Long.parseLong(p.getProperty("sequences")), Long.parseLong(p.getProperty("residues")),
                    p.getProperty("version"), dir.resolve(name)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The source's digest, recomputed only when its size or modification time changed. */
    private String versionOf(Path source) {
        try {
            String stamp = Files.size(source) + "@" + Files.getLastModifiedTime(source).toMillis();
            return versions.computeIfAbsent(source + "#" + stamp, key -> digest(source));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String digest(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
