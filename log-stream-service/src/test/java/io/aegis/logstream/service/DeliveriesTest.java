package io.aegis.logstream.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.logstream.domain.Outbox;
import io.aegis.logstream.domain.StreamEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class DeliveriesTest {

    /** A thread that runs its tasks only when told to, so the test sees how many were handed over. */
    private static final class Loop implements Executor {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            List<Runnable> now = List.copyOf(tasks);
            tasks.clear();
            now.forEach(Runnable::run);
        }
    }

    private static StreamEvent log(int n) {
        return new StreamEvent("1-" + n, "log", "{\"n\":" + n + "}");
    }

    private static Outbox open() {
        Outbox outbox = new Outbox(100);
        outbox.open();
        return outbox;
    }

    @Test
    void whatWaitsForOneThreadGoesInOneTaskInTheOrderItCame() {
        Deliveries deliveries = new Deliveries();
        Loop loop = new Loop();
        Outbox a = open();
        Outbox b = open();
        deliveries.deliver(loop, a, List.of(log(1), log(2)));
        deliveries.deliver(loop, b, List.of(log(1)));
        deliveries.deliver(loop, a, List.of(log(3)));

        assertThat(loop.tasks).hasSize(1);
        assertThat(a.isEmpty()).isTrue();
        loop.runAll();
        assertThat(a.drain(10)).containsExactly(log(1), log(2), log(3));
        assertThat(b.drain(10)).containsExactly(log(1));
    }

    @Test
    void aDeliveryAfterTheTaskRanGetsATaskOfItsOwnAndEachThreadItsOwnTask() {
        Deliveries deliveries = new Deliveries();
        Loop first = new Loop();
        Loop second = new Loop();
        Outbox a = open();
        Outbox b = open();
        deliveries.deliver(first, a, List.of(log(1)));
        first.runAll();
        deliveries.deliver(first, a, List.of(log(2)));
        deliveries.deliver(second, b, List.of(log(2)));

        assertThat(first.tasks).hasSize(1);
        assertThat(second.tasks).hasSize(1);
        first.runAll();
        second.runAll();
        assertThat(a.drain(10)).containsExactly(log(1), log(2));
        assertThat(b.drain(10)).containsExactly(log(2));
    }
}
