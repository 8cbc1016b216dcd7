package io.aegis.artifact.service;

import java.util.UUID;

/** A build found its job deleted while it ran: it stops, and what it wrote is removed. */
final class JobRemovedException extends RuntimeException {

    JobRemovedException(UUID jobId) {
        super("Job " + jobId + " was deleted while its artifacts were being built", null, false, false);
    }
}
