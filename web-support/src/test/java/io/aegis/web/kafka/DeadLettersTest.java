package io.aegis.web.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final DeadLetters deadLetters = new DeadLetters(registry);

    private double count(String topic, String channel) {
        return registry.get(DeadLetters.METER).tags("topic", topic, "channel", channel).counter().count();
    }

    @Test
    void aChannelsSeriesShowsAtZeroBeforeItsFirstDeadLetter() {
        deadLetters.expect(Topics.JOB_PROGRESS, "job-progress");

        assertThat(count(Topics.JOB_PROGRESS, "job-progress")).isZero();
    }

    @Test
    void eachDeadLetterCountsForItsTopicAndChannelAlone() {
        deadLetters.expect(Topics.JOB_LOG, "job-log");
        deadLetters.sent(Topics.JOB_LOG, "job-log");
        deadLetters.sent(Topics.JOB_LOG, "job-log");
        deadLetters.sent(Topics.JOB_STATE, "job-state");

        assertThat(count(Topics.JOB_LOG, "job-log")).isEqualTo(2);
        assertThat(count(Topics.JOB_STATE, "job-state")).isEqualTo(1);
        assertThat(registry.find(DeadLetters.METER).counters()).hasSize(2);
    }
}
