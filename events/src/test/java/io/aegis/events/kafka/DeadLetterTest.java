package io.aegis.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.events.JobLogEvent;
import io.aegis.events.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    private static ConsumerRecord<String, JobLogEvent> unreadable() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", "log:j:1:7".getBytes(StandardCharsets.UTF_8));
        headers.add("deserialization-failure-reason", "Not a valid JobLogEvent".getBytes(StandardCharsets.UTF_8));
        headers.add("deserialization-failure-data", "{\"line\":".getBytes(StandardCharsets.UTF_8));
        return new ConsumerRecord<>(Topics.JOB_LOG, 2, 41L, 0L, TimestampType.CREATE_TIME, 0, 0, "job-1", null, headers,
                Optional.empty());
    }

    private static String header(org.apache.kafka.clients.producer.ProducerRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void anUnreadableRecordIsKeptAsItCameWithWhereItCameFromAndWhy() {
        var dead = DeadLetter.of(unreadable());

        assertThat(dead.topic()).isEqualTo(Topics.DEAD_LETTER);
        assertThat(dead.key()).isEqualTo("job-1");
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{\"line\":");
        assertThat(header(dead, DeadLetter.TOPIC)).isEqualTo(Topics.JOB_LOG);
        assertThat(header(dead, DeadLetter.PARTITION)).isEqualTo("2");
        assertThat(header(dead, DeadLetter.OFFSET)).isEqualTo("41");
        assertThat(header(dead, DeadLetter.REASON)).isEqualTo("Not a valid JobLogEvent");
        assertThat(header(dead, DeadLetter.EXCEPTION_CLASS_NAME))
                .isEqualTo("org.apache.kafka.common.errors.RecordDeserializationException");
        assertThat(header(dead, "ce_id")).as("the original's headers").isEqualTo("log:j:1:7");
        assertThat(dead.headers().lastHeader("deserialization-failure-data")).as("the bytes once, as the value").isNull();
    }

    @Test
    void onlyARecordTheConnectorCouldNotReadIsUnreadable() {
        assertThat(DeadLetter.unreadable(unreadable())).isTrue();
        assertThat(DeadLetter.unreadable(new ConsumerRecord<>(Topics.JOB_LOG, 0, 0L, "job-1", (JobLogEvent) null)))
                .as("a tombstone").isFalse();
    }
}
