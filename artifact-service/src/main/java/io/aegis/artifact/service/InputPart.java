package io.aegis.artifact.service;

import io.aegis.artifact.config.StoreConfig;
import io.aegis.artifact.domain.Artifact;
import io.aegis.events.StoreLayout;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code input.fasta}: the queries the job was submitted with, an artifact like any other (size, SHA-256,
 * ranges, the manifest), so that its owner can fetch them back, e.g. to edit the job and run it again. It
 * is the file job-service wrote at submission ({@code jobs/<id>/input.fasta}), described where it lies
 * and never copied; a job that reused an earlier job's results and has no input of its own (as in the
 * benchmark's archived searches) gets that job's, the same queries, copied into its {@code artifacts/}.
 * Bounded by the gateway's FASTA limit, so describing it costs one short read.
 */
@ApplicationScoped
class InputPart implements ArtifactPart {

    static final String NAME = StoreLayout.INPUT_FILE;

    private final StoreLayout store;
    private final BuildPool pool;

    public InputPart(StoreConfig store, BuildPool pool) {
        this.store = new StoreLayout(store.root());
        this.pool = pool;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean due(BuildAttempt attempt) {
        return attempt.plan().publishesInput() && !attempt.ready(NAME);
    }

    @Override
    public Uni<List<Artifact>> build(BuildAttempt attempt) {
        return pool.run(() -> List.of(publish(attempt)));
    }

    /** The job's input described (the earlier job's copied in first, where it is that one). Blocking I/O. */
    Artifact publish(BuildAttempt attempt) {
        Path input = attempt.plan().input();
        Path own = store.input(attempt.jobId());
        if (input.equals(own)) {
            return attempt.file(ManifestWriter.describe(own), "");
        }
        Path target = store.artifacts(attempt.jobId()).resolve(NAME);
        try {
            AtomicFiles.write(target, out -> Files.copy(input, out));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy in the input of job " + attempt.reusedFrom(), e);
        }
        return attempt.file(ManifestWriter.describe(target), "artifacts/");
    }
}
