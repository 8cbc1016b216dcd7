package io.aegis.artifact.service;

import io.aegis.artifact.blast.ArchivedDatabase;
import io.aegis.artifact.config.StoreConfig;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.events.SearchArchive;
import io.aegis.events.StoreLayout;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * The BLAST database a job searched, for reading its subjects' sequences again: named by the job's
 * search record ({@link SearchArchive}, kept by the worker beside BLAST's archive), and only while the
 * database is still at the version searched (the {@code version} of its build marker,
 * {@link StoreLayout#databaseMarker}): a database rebuilt from another source since would answer other
 * sequences, or none, under the same ids. A job that reused an earlier job's results has the earlier
 * job's record when it has none of its own. Blocking file reads.
 */
@ApplicationScoped
public class SearchedDatabase {

    private final StoreLayout store;

    public SearchedDatabase(StoreConfig config) {
        this.store = new StoreLayout(config.root());
    }

    /**
     * The search record of the job (of the job it reused, when it has none).
     *
     * @throws ProblemException 409 {@code NO_SEARCH_RECORD} when neither has one
     */
    public SearchArchive searched(UUID jobId, UUID reusedFrom) throws IOException {
        List<UUID> jobs = new ArrayList<>(List.of(jobId));
        if (reusedFrom != null) {
            jobs.add(reusedFrom);
        }
        for (UUID job : jobs) {
            Path folder = store.archive(job);
            if (Files.isRegularFile(folder.resolve(SearchArchive.FILE))) {
                return SearchArchive.read(folder);
            }
        }
        throw new ProblemException(409, "NO_SEARCH_RECORD", "No record of the database searched",
                "Job " + jobId + " has no record of the database it searched (it ran before such records were kept),"
                        + " so its subjects' sequences cannot be read at the version searched.");
    }

    /**
     * Checks the database is still at the version the job searched.
     *
     * @throws ProblemException 409 {@code DATABASE_CHANGED} naming both versions, when it is not
     */
    public void requireVersionSearched(SearchArchive search) throws IOException {
        requireSame(search, marker(search.database()));
    }

    /** The database's build marker as it is now, null when there is none (removed, or never built here). */
    Properties marker(String database) throws IOException {
        return marker(store, database);
    }

    /** The build marker of {@code database} in {@code store} as it is now, null when there is none. */
    static Properties marker(StoreLayout store, String database) throws IOException {
        Properties marker = new Properties();
        try (Reader in = Files.newBufferedReader(store.databaseMarker(database))) {
            marker.load(in);
        } catch (NoSuchFileException e) {
            return null;
        }
        return marker;
    }

    /**
     * The rule is {@link ArchivedDatabase#check}'s, the one BLAST's own formats follow too: a database
     * answers for a job's hits only at the very version the job searched. Here its refusal is a problem
     * for the caller.
     */
    static void requireSame(SearchArchive search, Properties marker) {
        try {
            ArchivedDatabase.check(search.database(), search.databaseVersion(), marker);
        } catch (IOException e) {
            String current = marker == null ? null : marker.getProperty("version");
            throw new ProblemException(409, "DATABASE_CHANGED", "Database changed",
                    "Job searched database '" + search.database() + "' at version " + search.databaseVersion() + "; "
                            + (current != null ? "it is now at version " + current : "it is no longer there")
                            + ", so its sequences may no longer be those of the hits.");
        }
    }
}
