package io.aegis.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicDefinitionTest {

    @Test
    void theDefinitionNamesExactlyTheTopicsOfTheContractInTheirOrder() {
        assertThat(TopicDefinition.all()).extracting(TopicDefinition::name).containsExactlyElementsOf(Topics.ALL);
    }

    @Test
    void onlyTheJobStateIsCompactedSoItsLatestStateStaysForNewConsumers() {
        assertThat(TopicDefinition.all())
                .filteredOn(topic -> topic.cleanupPolicy().equals("compact"))
                .extracting(TopicDefinition::name)
                .containsExactly(Topics.JOB_STATE);
        assertThat(TopicDefinition.all()).extracting(TopicDefinition::cleanupPolicy)
                .allMatch(policy -> policy.equals("delete") || policy.equals("compact"));
    }

    @Test
    void topicsAreCreatedWithTheirCleanupPolicy() {
        TopicDefinition state = TopicDefinition.all().stream()
                .filter(topic -> topic.name().equals(Topics.JOB_STATE)).findFirst().orElseThrow();
        assertThat(state.configs()).containsEntry("cleanup.policy", "compact");
        assertThat(TopicDefinition.defaultPartitions()).isPositive();
    }

    @Test
    void deadLettersAreKeptLongerThanTheEventsWhateverTheDeploymentsRetention() {
        TopicDefinition deadLetter = TopicDefinition.all().stream()
                .filter(topic -> topic.name().equals(Topics.DEAD_LETTER)).findFirst().orElseThrow();
        assertThat(deadLetter.configs()).containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.ms", String.valueOf(java.time.Duration.ofDays(30).toMillis()));
        assertThat(TopicDefinition.all()).filteredOn(topic -> !topic.name().equals(Topics.DEAD_LETTER))
                .allSatisfy(topic -> assertThat(topic.configs()).doesNotContainKey("retention.ms"));
    }
}
