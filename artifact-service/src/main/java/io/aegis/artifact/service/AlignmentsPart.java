package io.aegis.artifact.service;

import io.aegis.artifact.config.ArtifactsConfig;
import io.aegis.artifact.config.StoreConfig;
import io.aegis.artifact.domain.Artifact;
import io.aegis.artifact.domain.TopAlignments;
import io.aegis.events.StoreLayout;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code alignments.txt}: the first {@code top-alignments} hits of each query, drawn
 * ({@link TopAlignments}); planned only when the hits have {@code qseq} and {@code sseq}.
 */
@ApplicationScoped
class AlignmentsPart implements ArtifactPart {

    static final String NAME = "alignments.txt";

    private final StoreLayout store;
    private final ArtifactsConfig config;
    private final BuildPool pool;

    public AlignmentsPart(StoreConfig store, ArtifactsConfig config, BuildPool pool) {
        this.store = new StoreLayout(store.root());
        this.config = config;
        this.pool = pool;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean due(BuildAttempt attempt) {
        return attempt.plan().alignments() && !attempt.ready(NAME);
    }

    @Override
    public Uni<List<Artifact>> build(BuildAttempt attempt) {
        return pool.run(() -> {
            TopAlignments alignments = TopAlignments.forColumns(attempt.plan().hitColumnNames(), config.topAlignments());
            Path target = AtomicFiles.write(store.artifacts(attempt.jobId()).resolve(NAME), out -> {
                try (BufferedReader hits = Files.newBufferedReader(attempt.plan().hitsTsv(), StandardCharsets.UTF_8)) {
                    Writer text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                    alignments.write(hits, text);
                    text.flush();
                }
            });
            return List.of(attempt.file(ManifestWriter.describe(target), "artifacts/"));
        });
    }
}
