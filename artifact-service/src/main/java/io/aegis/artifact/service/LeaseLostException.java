package io.aegis.artifact.service;

import java.util.UUID;

/**
 * A build's attempt no longer holds its finalization: its lease ran out (the replica stalled, or lost
 * the database, for longer than a lease) and another attempt has claimed the build since. It stops
 * without writing or settling anything: the build, and the rows it would have written, are the newer
 * attempt's. Files it already wrote are whole (every file is moved into place complete) and written
 * again by the newer attempt.
 */
final class LeaseLostException extends RuntimeException {

    LeaseLostException(UUID jobId, int attempt) {
        super("Attempt " + attempt + " at the artifacts of job " + jobId + " lost its lease to a later one", null, false,
                false);
    }
}
