package io.aegis.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.events.JobLogEvent;
import io.aegis.events.LogStream;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WorkerEventsTest {

    /** An emitter whose every send ends as {@code outcome} does, as the Kafka connector's would. */
    @SuppressWarnings("unchecked")
    private static <T> MutinyEmitter<T> emitter(Uni<Void> outcome) {
        return (MutinyEmitter<T>) Proxy.newProxyInstance(MutinyEmitter.class.getClassLoader(),
                new Class<?>[] {MutinyEmitter.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "send" -> outcome;
                    case "hasRequests" -> true;
                    case "isCancelled" -> false;
                    default -> null;
                });
    }

    private static JobLogEvent line(long seq) {
        return new JobLogEvent(JobLogEvent.SCHEMA, UUID.randomUUID(), 1, seq, "search", LogStream.STDOUT, "blastp",
                "line " + seq, Instant.now());
    }

    @Test
    void aLineTheProducerGivesUpOnIsCountedAsDroppedNotForgotten() {
        WorkerEvents events = new WorkerEvents(emitter(Uni.createFrom().voidItem()),
                emitter(Uni.createFrom().failure(new IllegalStateException("Expiring 1 record(s): delivery timeout"))));

        assertThat(events.log(line(1))).as("handed to the producer").isTrue();
        assertThat(events.log(line(2))).isTrue();

        assertThat(events.logLinesDropped()).isEqualTo(2);
    }

    @Test
    void aLineKafkaTakesIsNotCounted() {
        WorkerEvents events = new WorkerEvents(emitter(Uni.createFrom().voidItem()), emitter(Uni.createFrom().voidItem()));

        assertThat(events.log(line(1))).isTrue();

        assertThat(events.logLinesDropped()).isZero();
    }
}
