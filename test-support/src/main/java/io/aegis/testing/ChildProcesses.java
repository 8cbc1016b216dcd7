package io.aegis.testing;

import java.util.concurrent.TimeUnit;

/** The servers the suites start as child processes (Kafka, Redis, Keycloak, the services). */
public final class ChildProcesses {

    private ChildProcesses() {
    }

    /** Asks the process to stop, waits up to 20 s for it to, then kills it. */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
