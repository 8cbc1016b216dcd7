package io.aegis.events;

/** Lifecycle of a job: {@code QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED}, {@code CANCELLING} in between. */
public enum JobStatus {
    QUEUED, RUNNING, CANCELLING, SUCCEEDED, FAILED, CANCELLED;

    /** Terminal states never change again. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
