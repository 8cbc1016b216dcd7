package io.aegis.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceMetricsTest {

    private static final String METRICS = """
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="Eden Space"} 1.048576E7
            jvm_memory_used_bytes{area="heap",id="Survivor Space"} 4194304.0
            jvm_memory_used_bytes{area="heap",id="Tenured Gen"} 5.24288E7
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 6.0E7
            jvm_memory_max_bytes{area="heap",id="Eden Space"} 1.4E8
            jvm_memory_max_bytes{area="heap",id="Tenured Gen"} 3.5E8
            jvm_memory_max_bytes{area="nonheap",id="Metaspace"} -1.0
            aegis_stream_delivery_lag_seconds{quantile="0.99"} 0.042
            jvm_gc_pause_seconds_count{action="end of minor GC",cause="Allocation Failure",gc="Copy"} 12.0
            jvm_gc_pause_seconds_count{action="end of major GC",cause="Metadata GC Threshold",gc="MarkSweepCompact"} 2.0
            """;

    @Test
    void theHeapIsEveryHeapPoolSummed() {
        ServiceMetrics metrics = ServiceMetrics.parse(METRICS);
        assertThat(metrics.heapUsed()).hasValue(64 * 1024 * 1024.0);
        assertThat(metrics.heapMax()).hasValue(4.9E8);
    }

    @Test
    void samplesAreFoundByNameAndLabel() {
        ServiceMetrics metrics = ServiceMetrics.parse(METRICS);
        assertThat(metrics.sum("jvm_gc_pause_seconds_count")).hasValue(14.0);
        assertThat(metrics.max("aegis_stream_delivery_lag_seconds", s -> s.has("quantile", "0.99"))).hasValue(0.042);
        assertThat(metrics.sum("no_such_metric")).isEmpty();
    }

    @Test
    void memoryFieldsOfProcStatusAreInBytes() {
        String status = "Name:\tjava\nVmHWM:\t  812344 kB\nVmRSS:\t  790120 kB\nThreads:\t41\n";
        assertThat(ServiceMetrics.statusBytes(status, "VmRSS")).isEqualTo(790_120L * 1024);
        assertThat(ServiceMetrics.statusBytes(status, "VmHWM")).isEqualTo(812_344L * 1024);
        assertThat(ServiceMetrics.statusBytes(status, "VmSwap")).isEqualTo(-1);
    }
}
