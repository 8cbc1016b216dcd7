package io.aegis.artifact.service;

import io.aegis.artifact.config.StoreConfig;
import io.aegis.artifact.domain.Artifact;
import io.aegis.artifact.domain.Manifest;
import io.aegis.events.ArtifactState;
import io.aegis.events.StoreLayout;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * {@code manifest.json}, last: every ready file with its size, SHA-256, CRC-32 and content type,
 * written only once nothing else failed in the attempt, so it lists everything the job has.
 */
@ApplicationScoped
class ManifestPart implements ArtifactPart {

    private final StoreLayout store;
    private final BuildPool pool;

    public ManifestPart(StoreConfig store, BuildPool pool) {
        this.store = new StoreLayout(store.root());
        this.pool = pool;
    }

    @Override
    public String name() {
        return Manifest.NAME;
    }

    @Override
    public boolean due(BuildAttempt attempt) {
        return !attempt.ready(Manifest.NAME) && !attempt.hasFailures();
    }

    @Override
    public Uni<List<Artifact>> build(BuildAttempt attempt) {
        List<Manifest.FileEntry> files = attempt.rows().values().stream()
                .filter(r -> r.state == ArtifactState.READY && Artifact.FILE.equals(r.kind) && !Manifest.NAME.equals(r.name))
                .map(r -> new Manifest.FileEntry(r.name, r.size, r.sha256, r.crc32, r.contentType))
                .toList();
        return pool.run(() -> List.of(attempt.file(
                ManifestWriter.write(store, attempt.jobId(), attempt.claim().status(), files), "artifacts/")));
    }
}
