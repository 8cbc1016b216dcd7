package io.aegis.worker.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class EarlyCancelsTest {

    @Test
    void aCancelSeenBeforeItsRequestStopsThatAttemptAndEarlierOnesButNotALaterOne() {
        EarlyCancels cancels = new EarlyCancels(10);
        UUID job = UUID.randomUUID();
        cancels.remember(job, 2);

        assertThat(cancels.cancelled(job, 1)).isTrue();
        assertThat(cancels.cancelled(job, 2)).isTrue();
        assertThat(cancels.cancelled(job, 3)).isFalse();
        assertThat(cancels.cancelled(UUID.randomUUID(), 1)).isFalse();
    }

    @Test
    void onlyTheNewestCancelsAreKept() {
        EarlyCancels cancels = new EarlyCancels(2);
        UUID first = UUID.randomUUID();
        cancels.remember(first, 1);
        cancels.remember(UUID.randomUUID(), 1);
        cancels.remember(UUID.randomUUID(), 1);

        assertThat(cancels.cancelled(first, 1)).isFalse();
    }
}
