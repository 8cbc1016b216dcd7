package io.aegis.testing;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The servers the suites start as child processes (Kafka, Redis, Keycloak, the services). */
public final class ChildProcesses {

    private ChildProcesses() {
    }

    /** Asks the process to stop, waits up to 20 s for it to, then kills it. */
    public static void stop(Process process) {
        stop(process.toHandle());
    }

    /** Asks the process to stop, waits up to 20 s for it to, then kills it; it need not be this JVM's child. */
    public static void stop(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(20, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
            process.onExit().completeOnTimeout(process, 10, TimeUnit.SECONDS).join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
