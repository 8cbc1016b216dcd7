package io.aegis.artifact.service;

import io.aegis.artifact.domain.Artifact;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * The {@code hits} table: hits.tsv loaded with one {@code COPY}, with the columns and their types
 * recorded on the finalization ({@link HitTable}, which holds the job's sentinel first, as a deletion does).
 */
@ApplicationScoped
class HitTablePart implements ArtifactPart {

    private final DataSource dataSource;
    private final BuildPool pool;

    public HitTablePart(DataSource dataSource, BuildPool pool) {
        this.dataSource = dataSource;
        this.pool = pool;
    }

    @Override
    public String name() {
        return HitTable.NAME;
    }

    @Override
    public boolean due(BuildAttempt attempt) {
        return attempt.plan().hits() && !attempt.ready(HitTable.NAME);
    }

    @Override
    public Uni<List<Artifact>> build(BuildAttempt attempt) {
        return pool.run(() -> {
            try {
                long count = HitTable.load(dataSource, attempt.claim(), attempt.plan().hitsTsv(),
                        attempt.plan().hitColumns());
                Log.infof("Loaded %d hits of job %s", count, attempt.jobId());
            } catch (SQLException e) {
                throw new IOException("Loading the hit table failed: " + e.getMessage(), e);
            }
            return List.of(attempt.row(HitTable.NAME));
        });
    }
}
