package io.aegis.worker.service;

import io.aegis.contracts.problem.Problem;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.pipelines.DatabaseNames;
import io.aegis.sequences.FastaException;
import io.aegis.worker.config.WorkerConfig;
import io.aegis.worker.domain.DatabaseEntry;
import io.aegis.worker.domain.FastaSummary;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;

/**
 * Registering a database from an uploaded FASTA. The upload is written to a hidden file in the source
 * folder, checked, made durable and renamed into place, so a half-written source is never seen and a
 * refused one leaves nothing; it is then built on the background thread. A registration whose build
 * fails takes its source away again (or puts back the source it replaced), so a broken database never
 * looks registered.
 */
@ApplicationScoped
public class DatabaseUploads {

    private final DatabaseFolders folders;
    private final DatabaseBuilds builds;
    private final FailureRecords failures;
    private final long maxUploadBytes;

    @Inject
    public DatabaseUploads(DatabaseFolders folders, DatabaseBuilds builds, FailureRecords failures,
                           WorkerConfig config) {
        this(folders, builds, failures, config.databases().maxUploadBytes());
    }

    DatabaseUploads(DatabaseFolders folders, DatabaseBuilds builds, FailureRecords failures, long maxUploadBytes) {
        this.folders = folders;
        this.builds = builds;
        this.failures = failures;
        this.maxUploadBytes = maxUploadBytes;
    }

    /** The problem for a FASTA over the upload limit. */
    public static ProblemException tooLarge(long maxUploadBytes) {
        return new ProblemException(413, "INPUT_TOO_LARGE", "Upload too large",
                "A database FASTA may have at most " + maxUploadBytes + " bytes.");
    }

    /**
     * Registers {@code fasta} as the database {@code name}: checks it, puts it into the source folder
     * and starts building it. Answers at once with the database building.
     *
     * @param replace whether an existing database of that name is replaced; without it, a name that
     *                exists is refused
     * @throws ProblemException 400 for a bad name or FASTA, 409 for a name taken, 413 for a FASTA over
     *                          the limit, 503 when the worker is stopping
     */
    public DatabaseEntry register(String name, InputStream fasta, boolean replace) {
        if (!DatabaseFolders.validName(name)) {
            throw invalid("INVALID_DATABASE_NAME", "name", "A database name is " + DatabaseNames.RULE + ".");
        }
        refuseTaken(name, replace);
        Path upload = null;
        try {
            upload = folders.createUpload(name);
            write(fasta, upload);
            FastaSummary summary;
            try {
                summary = FastaSummary.of(upload);
            } catch (FastaException e) {
                throw invalid(e.code(), "fasta", e.getMessage());
            }
            DatabaseEntry entry = publish(name, upload, summary, replace);
            upload = null;
            return entry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            FileTrees.deleteQuietly(upload);
        }
    }

    private void refuseTaken(String name, boolean replace) {
        if (builds.names().contains(name) || replace && builds.claimedInStore().contains(name)) {
            throw new ProblemException(409, "DATABASE_BUILDING", "Database is being built",
                    "The database '" + name + "' is being built; wait until it is ready or failed.");
        }
        if (!replace && Files.exists(folders.source(name))) {
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
    private synchronized DatabaseEntry publish(String name, Path upload, FastaSummary summary, boolean replace)
            throws IOException {
        refuseTaken(name, replace);
        Path source = folders.source(name);
        DatabaseBuilds.Build build = builds.reserve(name, summary);
        Path previous = null;
        Path claim = null;
        try {
            // a build folder in the store tells other replicas that this one builds it
            claim = folders.createBuildFolder(name);
            previous = Files.exists(source) ? keepPrevious(name, source) : null;
            Files.move(upload, source, StandardCopyOption.ATOMIC_MOVE);
            failures.clear(name);
            Log.infof("Registered database %s (%d %s sequences, version %s); building it", name, summary.sequences(),
                    summary.type().name().toLowerCase(Locale.ROOT), summary.version());
            Path claimed = claim;
            Path kept = previous;
            builds.queue(name, build, () -> buildRegistration(name, source, summary, kept, claimed));
        } catch (IOException | RuntimeException e) {
            FileTrees.deleteQuietly(previous);
            FileTrees.deleteQuietly(claim);
            builds.abandon(name, build, e);
            if (e instanceof RejectedExecutionException) {
                throw new ProblemException(503, "SERVICE_UNAVAILABLE", "Service unavailable", "The worker is stopping.");
            }
            throw e;
        }
        return DatabaseEntry.building(name, summary);
    }

    /** A link to (or else a copy of) the source being replaced, with its modification time, to put back on failure. */
    private Path keepPrevious(String name, Path source) throws IOException {
        Path previous = folders.previous(name);
        try {
            Files.createLink(previous, source);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(source, previous, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return previous;
    }

    /** Runs on the build thread: the build, then the source it replaced removed, or put back when it failed. */
    private BlastDatabase buildRegistration(String name, Path source, FastaSummary summary, Path previous, Path claim) {
        try {
            BlastDatabase database = builds.buildRecorded(name, source, summary, claim);
            FileTrees.deleteQuietly(previous);
            Log.infof("Database %s is ready", name);
            return database;
        } catch (RuntimeException e) {
            if (!builds.closing()) {
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
            throw e;
        }
    }

    private static ProblemException invalid(String code, String field, String detail) {
        return new ProblemException(Problem.of(400, code, "Invalid database", detail)
                .withErrors(List.of(new Problem.FieldError(field, detail))));
    }
}
