package io.aegis.job.outbox;

import io.aegis.events.CloudEvents;
import io.aegis.job.config.JobConfig;
import io.aegis.web.kafka.KafkaClientSettings;
import io.aegis.web.tracing.TraceParents;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Delivers the outbox to Kafka, at least once and in commit order per job. One thread claims a
 * batch ({@code FOR UPDATE SKIP LOCKED}, so replicas share the work), sends it, and deletes the
 * rows in the same transaction only once the broker acknowledged every record. The transaction
 * that wrote events wakes it ({@link #wake}, in process: no {@code NOTIFY}, whose commit-time lock
 * would serialize every submit); it also polls, so events a stopped replica committed are sent by
 * another. While Kafka is away the rows wait, and are sent when it is back.
 */
@ApplicationScoped
public class OutboxRelay {

    static final String SOURCE = CloudEvents.JOB_SERVICE;
    private static final String CLAIM = """
            DELETE FROM jobs.outbox WHERE id IN (
                SELECT id FROM jobs.outbox ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)
            RETURNING id, event_id, topic, record_key, payload, created_at, trace_parent""";

    private record Pending(long id, String eventId, String topic, String key, String payload, Instant at,
                           String traceParent) {
    }

    private final DataSource dataSource;
    private final JobConfig.Outbox config;
    private final Map<String, Object> kafka;
    private final Tracer tracer;
    private final AtomicBoolean woken = new AtomicBoolean();
    private volatile boolean running;
    private volatile Thread thread;
    private KafkaProducer<String, String> producer;

    public OutboxRelay(DataSource dataSource, JobConfig config,
                       @Identifier("default-kafka-broker") Map<String, Object> kafka, Tracer tracer) {
        this.dataSource = dataSource;
        this.tracer = tracer;
        this.config = config.outbox();
        this.kafka = kafka;
    }

    void start(@Observes StartupEvent start) {
        // the channels' servers and credentials, then the relay's own settings
        producer = new KafkaProducer<>(KafkaClientSettings.forClient(kafka, ProducerConfig.configNames(), Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "job-service-outbox",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) config.sendTimeout().toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) config.sendTimeout().toMillis(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) config.sendTimeout().toMillis() * 2)),
                new StringSerializer(), new StringSerializer());
        running = true;
        thread = Thread.ofPlatform().name("outbox-relay").daemon().start(this::run);
    }

    void stop(@Observes ShutdownEvent stop) throws InterruptedException {
        running = false;
        Thread relay = thread;
        if (relay != null) {
            relay.interrupt();
            relay.join(Duration.ofSeconds(5));
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Events were committed: send them soon. Cheap enough to call after every transaction. */
    public void wake() {
        woken.set(true);
        Thread relay = thread;
        if (relay != null) {
            LockSupport.unpark(relay);
        }
    }

    private void run() {
        Duration backoff = config.retryBackoff();
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                while (running) {
                    int relayed;
                    try {
                        relayed = relayBatch(connection);
                        backoff = config.retryBackoff();
                    } catch (DeliveryFailed e) {
                        Log.warnf("Outbox not delivered, retrying in %s: %s", backoff, e.getMessage());
                        Thread.sleep(backoff);
                        backoff = min(backoff.multipliedBy(2), config.retryBackoffMax());
                        continue;
                    }
                    if (relayed < config.batchSize()) {
                        awaitEvents();
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                Log.warnf("Outbox relay lost its database connection, reconnecting in %s: %s", backoff, e.getMessage());
                sleepQuietly(backoff);
                backoff = min(backoff.multipliedBy(2), config.retryBackoffMax());
            }
        }
    }

    /**
     * Returns when there may be events: after a wake-up and the linger (so that, under load, one claim
     * carries many events), or after the poll interval.
     */
    private void awaitEvents() throws InterruptedException {
        if (!woken.getAndSet(false)) {
            LockSupport.parkNanos(config.pollInterval().toNanos());
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (!woken.getAndSet(false)) {
                return;
            }
        }
        Thread.sleep(config.linger());
        woken.set(false);
    }

    /** Claims, sends and deletes one batch in one transaction; the rows stay when any send fails. */
    private int relayBatch(Connection connection) throws SQLException, InterruptedException, DeliveryFailed {
        connection.setAutoCommit(false);
        try {
            List<Pending> batch = claim(connection);
            if (!batch.isEmpty()) {
                send(batch);
            }
            connection.commit();
            return batch.size();
        } catch (SQLException | DeliveryFailed | InterruptedException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private List<Pending> claim(Connection connection) throws SQLException {
        List<Pending> batch = new ArrayList<>();
        try (PreparedStatement claim = connection.prepareStatement(CLAIM)) {
            claim.setInt(1, config.batchSize());
            try (ResultSet rows = claim.executeQuery()) {
                while (rows.next()) {
                    batch.add(new Pending(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getString(5), rows.getTimestamp(6).toInstant(), rows.getString(7)));
                }
            }
        }
        batch.sort(Comparator.comparingLong(Pending::id));
        return batch;
    }

    private void send(List<Pending> batch) throws InterruptedException, DeliveryFailed {
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
        List<Span> spans = new ArrayList<>(batch.size());
        try {
            for (Pending event : batch) {
                // an event written where nothing was traced (tracing off) has no trace to continue
                Span span = event.traceParent() == null ? Span.getInvalid() : publishSpan(event);
                spans.add(span);
                Future<RecordMetadata> ack = producer.send(record(event, span));
                if (ack.isDone()) {
                    ack.get(); // a broker that cannot be reached fails at once: stop sending this batch
                }
                acks.add(ack);
            }
            long deadline = System.nanoTime() + config.sendTimeout().multipliedBy(2).toNanos();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            String failure = e.getCause() != null ? e.getCause().toString() : e.toString();
            spans.forEach(span -> span.setStatus(StatusCode.ERROR, failure));
            throw new DeliveryFailed(failure);
        } finally {
            spans.forEach(Span::end);
        }
    }

    /**
     * The send of an event, in the trace of the change that wrote it (the row's {@code traceparent});
     * its consumers' spans are its children.
     */
    private Span publishSpan(Pending event) {
        return tracer.spanBuilder(event.topic() + " publish")
                .setParent(TraceParents.parent(event.traceParent()))
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "send")
                .setAttribute("messaging.destination.name", event.topic())
                .setAttribute("messaging.message.id", event.eventId())
                .setAttribute("messaging.kafka.message.key", event.key())
                .startSpan();
    }

    private static ProducerRecord<String, String> record(Pending event, Span span) {
        ProducerRecord<String, String> record = new ProducerRecord<>(event.topic(), event.key(), event.payload());
        CloudEvents.binaryHeaders(event.topic(), event.eventId(), SOURCE, event.key(), event.at())
                .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        TraceParents.inject(Context.root().with(span),
                (name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kafka did not take the batch; it stays in the outbox. */
    private static final class DeliveryFailed extends Exception {
        DeliveryFailed(String message) {
            super(message, null, false, false);
        }
    }
}
