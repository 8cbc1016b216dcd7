package io.aegis.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineTest {

    @Test
    void idleAndIoWaitCountAsIdleEverythingElseAsBusy() {
        long[] before = {100, 0, 50, 1_000, 10, 0, 0, 0};
        long[] after = {130, 0, 60, 1_050, 20, 5, 5, 0};
        // 40 busy (user, system), 60 idle (idle, iowait), 10 interrupts: 60 of 110
        assertThat(Machine.idleShare(before, after)).isEqualTo(60.0 / 110);
    }

    @Test
    void noTimePassingIsQuiet() {
        long[] same = {1, 2, 3, 4, 5, 6, 7, 8};
        assertThat(Machine.idleShare(same, same)).isEqualTo(1.0);
    }

    @Test
    void busyCoresAreTheBusyShareOfAllCores() {
        long[] before = {0, 0, 0, 0, 0, 0, 0, 0};
        long[] after = {90, 0, 10, 100, 0, 0, 0, 0};
        // half of the time of two cores busy: one core's worth
        assertThat(Machine.busyCores(before, after, 2)).isEqualTo(1.0);
    }
}
