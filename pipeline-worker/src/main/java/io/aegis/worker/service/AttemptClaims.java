package io.aegis.worker.service;

import io.aegis.events.StoreLayout;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/**
 * Who took which attempt of a job, kept in the shared store as {@code jobs/<id>/attempts/<n>.claim},
 * created exclusively: exactly one taker per attempt, across restarts and across replicas. A
 * repeated request (Kafka redelivers what was not yet committed when a worker stopped) finds the
 * claim and is ignored; the job then goes on as a new attempt once job-service sees it is lost.
 */
final class AttemptClaims {

    private final StoreLayout store;

    AttemptClaims(StoreLayout store) {
        this.store = store;
    }

    /** True when this call took the attempt; false when it was taken before or cannot be claimed. */
    boolean claim(UUID jobId, int attempt, String worker) {
        Path claim = store.jobDir(jobId).resolve("attempts").resolve(attempt + ".claim");
        try {
            Files.createDirectories(claim.getParent());
            Files.writeString(claim, worker + " " + Instant.now() + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
            return true;
        } catch (FileAlreadyExistsException taken) {
            return false;
        } catch (IOException e) {
            // without a claim the attempt could run twice; job-service dispatches it again later
            Log.errorf("Cannot claim job %s attempt %d in %s: %s", jobId, attempt, claim, e.getMessage());
            return false;
        }
    }
}
