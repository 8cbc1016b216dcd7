package io.aegis.worker.service;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A cancellation a test fires itself, as a user's cancel would. */
public final class CancelSwitch implements Cancellation {

    private final Set<Runnable> actions = ConcurrentHashMap.newKeySet();

    @Override
    public Registration onCancel(Runnable action) {
        actions.add(action);
        return () -> actions.remove(action);
    }

    public void fire() {
        actions.forEach(Runnable::run);
    }
}
