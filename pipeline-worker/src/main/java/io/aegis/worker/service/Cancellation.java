package io.aegis.worker.service;

/** Something that can be cancelled, and lets work register how to stop itself. */
public interface Cancellation {

    /** Never cancelled: for work outside a job, such as building a database. */
    Cancellation NONE = action -> () -> { };

    /**
     * Runs {@code action} when cancelled, or at once when already cancelled. Closing the returned
     * registration forgets the action; an action may still run twice and must be harmless then.
     */
    Registration onCancel(Runnable action);

    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
