package io.aegis.kubernetes;

import java.time.Instant;

/**
 * One line of a container's log, sanitized.
 *
 * @param attempt the job attempt the pod runs (its {@code aegis.io/attempt} label), 0 when unknown
 * @param step    the step the pod runs (its {@code aegis.io/step} label), or null
 * @param index   the line's place in its container's log, from 0
 * @param at      when the kubelet read the line, or null for a line without a timestamp
 */
public record PodLogLine(String pod, String container, int attempt, String step, long index, Instant at, String text) {

    /** Where the line came from, as clients see it: {@code pod/container}. */
    public String source() {
        return pod + "/" + container;
    }
}
