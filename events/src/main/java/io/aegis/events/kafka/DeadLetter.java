package io.aegis.events.kafka;

import io.aegis.events.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record a consumer could not read, as {@link Topics#DEAD_LETTER} keeps it, for the batch consumers
 * that SmallRye's {@code dead-letter-queue} failure strategy does not cover (it hands them the
 * unreadable record inside the batch, its value null): the original key, the bytes as they came, the
 * original headers, and the {@code dead-letter-*} headers the strategy writes for the other consumers,
 * so every dead letter reads the same.
 */
public final class DeadLetter {

    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";
    public static final String REASON = "dead-letter-reason";
    public static final String EXCEPTION_CLASS_NAME = "dead-letter-exception-class-name";
    /** What the connector says of a value it could not read, and the value's bytes. */
    static final String FAILURE_REASON = "deserialization-failure-reason";
    static final String FAILURE_DATA = "deserialization-failure-data";

    private DeadLetter() {
    }

    /** Whether the connector could not read the record's value (its deserializer failed). */
    public static boolean unreadable(ConsumerRecord<?, ?> record) {
        return record.value() == null && record.headers().lastHeader(FAILURE_REASON) != null;
    }

    /** The dead letter of an {@link #unreadable} record. */
    public static ProducerRecord<String, byte[]> of(ConsumerRecord<String, ?> record) {
        Headers headers = new RecordHeaders();
        add(headers, EXCEPTION_CLASS_NAME, RecordDeserializationException.class.getName());
        add(headers, REASON, text(record.headers().lastHeader(FAILURE_REASON)));
        add(headers, TOPIC, record.topic());
        add(headers, PARTITION, Integer.toString(record.partition()));
        add(headers, OFFSET, Long.toString(record.offset()));
        // the original headers, but the unread bytes once: they are the dead letter's value
        record.headers().forEach(header -> {
            if (!FAILURE_DATA.equals(header.key())) {
                headers.add(header);
            }
        });
        Header data = record.headers().lastHeader(FAILURE_DATA);
        return new ProducerRecord<>(Topics.DEAD_LETTER, null, record.key(), data == null ? null : data.value(), headers);
    }

    private static String text(Header header) {
        return header == null || header.value() == null ? "unreadable" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
