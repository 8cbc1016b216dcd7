package io.aegis.job.outbox;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An event waiting in table {@code jobs.outbox} to be relayed to Kafka. */
@Entity
@Table(name = "outbox")
public class OutboxRecord extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "outbox_seq")
    @SequenceGenerator(name = "outbox_seq", sequenceName = "outbox_seq", allocationSize = 50)
    public Long id;
    @Column(name = "event_id")
    public UUID eventId;
    public String topic;
    @Column(name = "record_key")
    public String key;
    public String payload;
    @Column(name = "created_at")
    public Instant createdAt;
    /** The W3C {@code traceparent} the relay's send continues (null with tracing off). */
    @Column(name = "trace_parent")
    public String traceParent;
}
