package io.aegis.worker.service;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A cancellation a test fires itself, as a user's cancel would. */
public final class CancelSwitch implements Cancellation {

    private final Set<Runnable> actions = ConcurrentHashMap.newKeySet();
    private volatile boolean fired;

    /** Like a job's own cancellation, an action registered after the cancel runs at once. */
    @Override
    public Registration onCancel(Runnable action) {
        actions.add(action);
        if (fired) {
            action.run();
        }
        return () -> actions.remove(action);
    }

    public void fire() {
        fired = true;
        actions.forEach(Runnable::run);
    }
}
