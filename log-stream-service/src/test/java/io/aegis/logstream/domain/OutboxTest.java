package io.aegis.logstream.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutboxTest {

    private static StreamEvent log(int n) {
        return new StreamEvent("1-" + n, "log", "{\"n\":" + n + "}");
    }

    private static StreamEvent progress(int n) {
        return new StreamEvent("1-" + n, "progress", "{\"n\":" + n + "}");
    }

    private static Outbox open(int capacity) {
        Outbox outbox = new Outbox(capacity);
        outbox.open();
        return outbox;
    }

    @Test
    void withinCapacityEverythingComesOutInOrder() {
        Outbox outbox = open(4);
        List.of(log(1), progress(2), log(3)).forEach(outbox::offer);
        assertThat(outbox.drain(10)).containsExactly(log(1), progress(2), log(3));
        assertThat(outbox.isEmpty()).isTrue();
    }

    @Test
    void pastCapacityTheOldestLinesGoAndAMarkerCountsThem() {
        AtomicInteger told = new AtomicInteger();
        Outbox outbox = new Outbox(3, told::incrementAndGet);
        outbox.open();
        for (int n = 1; n <= 6; n++) {
            outbox.offer(log(n));
        }
        assertThat(outbox.drain(10)).containsExactly(StreamEvent.dropped("1-3", 3), log(4), log(5), log(6));
        assertThat(outbox.droppedTotal()).isEqualTo(3);
        assertThat(told).hasValue(3);
    }

    @Test
    void progressAndTheEndAreNeverDropped() {
        Outbox outbox = open(2);
        outbox.offer(progress(1));
        outbox.offer(log(2));
        outbox.offer(progress(3));
        outbox.offer(log(4));
        outbox.offer(new StreamEvent("1-5", "succeeded", "{}"));
        assertThat(outbox.drain(10)).containsExactly(progress(1), StreamEvent.dropped("1-2", 1), progress(3),
                StreamEvent.dropped("1-4", 1), new StreamEvent("1-5", "succeeded", "{}"));
    }

    @Test
    void theNewestLineDroppedLeavesItsMarkerLastUntilMoreComes() {
        Outbox outbox = open(1);
        outbox.offer(progress(1));
        outbox.offer(log(2));
        assertThat(outbox.drain(10)).containsExactly(progress(1), StreamEvent.dropped("1-2", 1));

        outbox.offer(progress(3));
        outbox.offer(log(4));
        outbox.offer(progress(5));
        assertThat(outbox.drain(10)).containsExactly(progress(3), StreamEvent.dropped("1-4", 1), progress(5));
    }

    @Test
    void anEventOfferedTwiceOrAlreadyReplayedIsDeliveredOnce() {
        Outbox outbox = open(10);
        outbox.offer(log(1));
        outbox.offer(log(2));
        assertThat(outbox.offer(log(2))).isFalse();
        outbox.passed("1-1");
        outbox.offer(log(3));
        assertThat(outbox.drain(10)).containsExactly(log(2), log(3));
        outbox.passed("1-5");
        assertThat(outbox.offer(log(4))).isFalse();
        assertThat(outbox.offer(log(6))).isTrue();
    }

    @Test
    void nothingIsKeptBeforeTheReaderOpensIt() {
        Outbox outbox = new Outbox(10);
        assertThat(outbox.offer(log(1))).isFalse();
        outbox.open();
        assertThat(outbox.offer(log(2))).isTrue();
        assertThat(outbox.drain(10)).containsExactly(log(2));
    }

    @Test
    void drainingTakesAtMostTheAskedNumber() {
        Outbox outbox = open(10);
        for (int n = 1; n <= 5; n++) {
            outbox.offer(log(n));
        }
        assertThat(outbox.drain(2)).containsExactly(log(1), log(2));
        assertThat(outbox.drain(10)).containsExactly(log(3), log(4), log(5));
    }

    @Test
    void aWaitingReaderIsWokenOnceByTheNextEventAndAReaderWithEventsAtOnce() {
        Outbox outbox = open(10);
        AtomicInteger woken = new AtomicInteger();
        outbox.whenReady(woken::incrementAndGet);
        assertThat(woken).hasValue(0);
        outbox.offer(log(1));
        assertThat(woken).hasValue(1);
        outbox.offer(log(2));
        assertThat(woken).as("a wait ends once").hasValue(1);
        outbox.whenReady(woken::incrementAndGet);
        assertThat(woken).as("events waiting: at once").hasValue(2);
    }

    @Test
    void eventsOfferedTogetherWakeTheReaderOnceWithAllOfThemToDrain() {
        Outbox outbox = open(10);
        outbox.offer(log(1));
        outbox.drain(10);
        List<List<StreamEvent>> drained = new ArrayList<>();
        outbox.whenReady(() -> drained.add(outbox.drain(10)));
        outbox.offer(List.of(log(1), log(2), log(3), log(4)));
        assertThat(drained).containsExactly(List.of(log(2), log(3), log(4)));
        outbox.whenReady(() -> drained.add(outbox.drain(10)));
        outbox.offer(List.of(log(3), log(4)));
        assertThat(drained).as("nothing new: no wake").hasSize(1);
    }

    @Test
    void aLaterWaitTakesThePlaceOfAnEarlierOne() {
        Outbox outbox = open(10);
        AtomicInteger earlier = new AtomicInteger();
        AtomicInteger later = new AtomicInteger();
        outbox.whenReady(earlier::incrementAndGet);
        outbox.whenReady(later::incrementAndGet);
        outbox.offer(log(1));
        assertThat(earlier).hasValue(0);
        assertThat(later).hasValue(1);
    }

    @Test
    void aWakeEndsAWaitWithNothingToDrainAndLeavesTheNextWaitPending() {
        Outbox outbox = open(4);
        AtomicInteger woken = new AtomicInteger();
        outbox.whenReady(woken::incrementAndGet);
        outbox.wake();
        assertThat(woken).hasValue(1);
        assertThat(outbox.drain(10)).isEmpty();
        outbox.whenReady(woken::incrementAndGet);
        assertThat(woken).hasValue(1);
        outbox.wake();
        outbox.wake();
        assertThat(woken).as("one wait, one wake").hasValue(2);
        outbox.whenReady(woken::incrementAndGet);
        outbox.offer(log(1));
        assertThat(woken).hasValue(3);
    }
}
