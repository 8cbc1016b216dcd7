package io.aegis.artifact.service;

import io.aegis.artifact.domain.Artifact;
import io.smallrye.mutiny.Uni;
import java.nio.file.Path;
import java.util.List;

/** One of the worker's files in {@code results/}: its own artifact under its own name, described as it is. */
record ResultFilePart(Path file, BuildPool pool) implements ArtifactPart {

    @Override
    public String name() {
        return file.getFileName().toString();
    }

    @Override
    public boolean due(BuildAttempt attempt) {
        return !attempt.ready(name());
    }

    @Override
    public Uni<List<Artifact>> build(BuildAttempt attempt) {
        return pool.run(() -> List.of(attempt.file(ManifestWriter.describe(file), "results/")));
    }
}
