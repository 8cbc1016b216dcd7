package io.aegis.artifact.domain;

import io.aegis.events.ArtifactState;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One artifact of a job and its readiness (table {@code artifacts.artifact}): a file kept at
 * {@link #location} inside the job's folder, or the job's queryable hit table.
 */
@Entity
@Table(name = "artifact")
@IdClass(Artifact.Key.class)
public class Artifact extends PanacheEntityBase {

    public static final String FILE = "file";
    public static final String TABLE = "table";

    @Id
    @Column(name = "job_id")
    public UUID jobId;
    @Id
    public String name;
    public String owner;
    /** {@link #FILE} or {@link #TABLE}. */
    public String kind = FILE;
    /** A file's path inside its job's folder, such as {@code results/hits.tsv}; null for the table. */
    public String location;
    @Enumerated(EnumType.STRING)
    public ArtifactState state;
    public Long size;
    public String sha256;
    public Long crc32;
    @Column(name = "content_type")
    public String contentType;
    public String error;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /**
     * Where a client reads the artifact through the gateway, relative to its base address: a file's
     * download ({@code /api/v1/jobs/{id}/artifacts/{name}}), or the table's pages
     * ({@code /api/v1/jobs/{id}/results/{name}}).
     */
    public String href() {
        return "/api/v1/jobs/" + jobId + (TABLE.equals(kind) ? "/results/" : "/artifacts/") + name;
    }

    public static class Key implements Serializable {
        public UUID jobId;
        public String name;

        public Key() {
        }

        public Key(UUID jobId, String name) {
            this.jobId = jobId;
            this.name = name;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(jobId, k.jobId) && Objects.equals(name, k.name);
        }

        @Override
        public int hashCode() {
            return Objects.hash(jobId, name);
        }
    }
}
