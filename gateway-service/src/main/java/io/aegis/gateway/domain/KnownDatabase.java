package io.aegis.gateway.domain;

import io.aegis.sequences.SequenceType;

/** A database the workers can search, as the catalog lists it; the version tells rebuilt databases apart. */
public record KnownDatabase(SequenceType type, String version) {
}
