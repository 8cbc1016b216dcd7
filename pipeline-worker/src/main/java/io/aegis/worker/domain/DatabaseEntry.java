package io.aegis.worker.domain;

import io.aegis.sequences.SequenceType;

/**
 * A database as the worker lists it. While another replica builds it only the name is known; a
 * ready database whose replacement failed keeps its {@code error}.
 */
public record DatabaseEntry(String name, State state, SequenceType type, Long sequences, Long residues,
                            String version, String error) {

    public enum State {
        BUILDING, READY, FAILED
    }

    /** Being built; {@code summary} is null when what it holds is not known yet. */
    public static DatabaseEntry building(String name, FastaSummary summary) {
        return of(name, State.BUILDING, summary, null);
    }

    static DatabaseEntry of(String name, State state, FastaSummary summary, String error) {
        return summary == null ? new DatabaseEntry(name, state, null, null, null, null, error)
                : new DatabaseEntry(name, state, summary.type(), summary.sequences(), summary.residues(),
                summary.version(), error);
    }
}
