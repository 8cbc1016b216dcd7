package io.aegis.artifact.service;

import io.aegis.artifact.config.StoreConfig;
import io.aegis.artifact.domain.Artifact;
import io.aegis.artifact.domain.HitSummary;
import io.aegis.events.StoreLayout;
import io.aegis.sequences.Fasta;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code summary.json}: the queries of the job's input declared in order (their ids only, read a record at
 * a time, as hits.tsv names them: the worker puts the submitted ids back), then one streamed pass over
 * hits.tsv ({@link HitSummary}). Memory grows with the number of queries, never with the hits. A job whose
 * input is not in the store is summarized from its hits alone.
 */
@ApplicationScoped
class SummaryPart implements ArtifactPart {

    static final String NAME = "summary.json";

    private final StoreLayout store;
    private final BuildPool pool;

    public SummaryPart(StoreConfig store, BuildPool pool) {
        this.store = new StoreLayout(store.root());
        this.pool = pool;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean due(BuildAttempt attempt) {
        return attempt.plan().hits() && !attempt.ready(NAME);
    }

    @Override
    public Uni<List<Artifact>> build(BuildAttempt attempt) {
        return pool.run(() -> {
            HitSummary summary = HitSummary.forColumns(attempt.plan().hitColumnNames());
            Path input = attempt.plan().input();
            if (input != null) {
                try (Reader in = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
                    Fasta.read(in, Fasta.Limits.NONE, record -> summary.query(record.id()));
                }
            }
            HitsFile.forEachLine(attempt.plan().hitsTsv(), (ord, line, fields) -> summary.accept(fields));
            Path target = AtomicFiles.write(store.artifacts(attempt.jobId()).resolve(NAME), summary::toJson);
            return List.of(attempt.file(ManifestWriter.describe(target), "artifacts/"));
        });
    }
}
