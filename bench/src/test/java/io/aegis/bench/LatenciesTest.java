package io.aegis.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentilesAreNearestRankOverAllValues() {
        long[] nanos = LongStream.rangeClosed(1, 100).map(ms -> ms * 1_000_000).toArray();
        Latencies latencies = Latencies.of(nanos);
        assertThat(latencies.count()).isEqualTo(100);
        assertThat(latencies.p50()).isEqualTo(50.0);
        assertThat(latencies.p90()).isEqualTo(90.0);
        assertThat(latencies.p99()).isEqualTo(99.0);
        assertThat(latencies.max()).isEqualTo(100.0);
    }

    @Test
    void aSingleSlowRequestShowsInTheTailNotTheMedian() {
        long[] nanos = LongStream.range(0, 1000).map(i -> i == 500 ? 900_000_000L : 2_000_000L).toArray();
        Latencies latencies = Latencies.of(nanos);
        assertThat(latencies.p50()).isEqualTo(2.0);
        assertThat(latencies.p99()).isEqualTo(2.0);
        assertThat(latencies.max()).isEqualTo(900.0);
    }
}
