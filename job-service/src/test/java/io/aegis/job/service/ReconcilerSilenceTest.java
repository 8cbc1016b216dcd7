package io.aegis.job.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a silent worker counts as lost: only after Kafka, which carries its heartbeats, answered a whole timeout. */
class ReconcilerSilenceTest {

    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void kafkaAnsweringAllAlongKeepsItsFirstAnswerAndAnOutageForgetsIt() {
        Instant up = Reconciler.upSince(null, true, T0);
        assertThat(up).isEqualTo(T0);
        assertThat(Reconciler.upSince(up, true, T0.plusSeconds(10))).isEqualTo(T0);
        assertThat(Reconciler.upSince(up, false, T0.plusSeconds(20))).isNull();
        assertThat(Reconciler.upSince(null, true, T0.plusSeconds(200))).isEqualTo(T0.plusSeconds(200));
    }

    @Test
    void aSilentWorkerIsLostOnlyOnceKafkaHasAnsweredForAWholeHeartbeatTimeout() {
        Instant backAt = T0.plusSeconds(300);
        // Kafka down: nobody's silence means anything
        assertThat(Reconciler.silenceMeansLost(null, backAt.minus(TIMEOUT))).isFalse();
        // back for 30 s of a 60 s timeout: the workers' queued heartbeats may still be on their way
        assertThat(Reconciler.silenceMeansLost(backAt, backAt.plusSeconds(30).minus(TIMEOUT))).isFalse();
        // back for the whole timeout: a worker that said nothing all that time is lost
        assertThat(Reconciler.silenceMeansLost(backAt, backAt.plus(TIMEOUT).minus(TIMEOUT))).isTrue();
        assertThat(Reconciler.silenceMeansLost(T0, backAt.minus(TIMEOUT))).isTrue();
    }
}
