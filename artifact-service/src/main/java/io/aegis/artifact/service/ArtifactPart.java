package io.aegis.artifact.service;

import io.aegis.artifact.domain.Artifact;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * One part of a job's artifacts, built on its own: {@link ArtifactBuilder} runs the parts in turn,
 * records what each built as ready, and notes a part that fails under {@link #name()} without
 * stopping the others. A part is idempotent: it writes its files whole or not at all (or replaces
 * its table in one transaction), so an attempt cut short is simply made again.
 */
interface ArtifactPart {

    /** What the part's failure is noted under: its artifact's name, or its family's ({@code logs}). */
    String name();

    /** Whether this attempt builds the part, asked when its turn comes: planned, and not ready yet. */
    boolean due(BuildAttempt attempt);

    /** Builds the part; answers the artifacts it made, to be recorded ready (none: it settled without output). */
    Uni<List<Artifact>> build(BuildAttempt attempt);
}
