package io.aegis.artifact.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * The finalizer's sentinel for one finished job (table {@code artifacts.finalization}): inserting it
 * claims the build, so a duplicate terminal event finds it and does nothing. It is written by the
 * builder with plain SQL (claims need {@code FOR UPDATE SKIP LOCKED}); this mapping is for reading.
 */
@Entity
@Table(name = "finalization")
public class Finalization extends PanacheEntityBase {

    public static final String PENDING = "pending";
    public static final String BUILDING = "building";
    public static final String DONE = "done";
    public static final String FAILED = "failed";

    @Id
    @Column(name = "job_id")
    public UUID jobId;
    public String owner;
    @Column(name = "job_status")
    public String jobStatus;
    @Column(name = "reused_from")
    public UUID reusedFrom;
    /** {@link #PENDING}, {@link #BUILDING}, {@link #DONE} or {@link #FAILED}. */
    public String state;
    public int attempts;
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;
    @Column(name = "lease_until")
    public Instant leaseUntil;
    /** The hit table's column names, tab-separated, once the table is loaded. */
    @Column(name = "hit_columns")
    public String hitColumns;
    /** The type of each hit column, tab-separated in the same order; null when the worker recorded none. */
    @Column(name = "hit_types")
    public String hitTypes;
    @Column(name = "hit_count")
    public Long hitCount;
    @Column(name = "last_error")
    public String lastError;
    /** An artifact made on request was asked for while the build ran: it settles as due again, not done. */
    public boolean requested;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
