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

    @Test
    void otherWorkIsTheBusyTimeTheMeasuredProcessesDoNotAccountFor() {
        long[] before = {0, 0, 0, 0, 0, 0, 0, 0};
        long[] after = {150, 0, 10, 40, 0, 0, 0, 0};
        // two cores for 100 ticks each: 160 busy, of which ours 100 -> 60 of 200 -> 0.6 cores
        assertThat(Machine.otherCores(before, after, 100, 2)).isEqualTo(0.6);
        assertThat(Machine.otherCores(before, after, 500, 2)).isZero();
    }

    @Test
    void aProcessCountsItsOwnTimeAndThatOfTheChildrenItWaitedFor() {
        String stat = "4242 (java main) S 1 4242 4242 0 -1 4194560 100 0 0 0 700 50 9000 30 20 0 40 0 123 0 0";
        assertThat(Machine.processTicks(stat)).isEqualTo(700 + 50 + 9000 + 30);
    }
}
