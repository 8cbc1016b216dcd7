package io.aegis.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Predicate;

/**
 * A service's metrics as Prometheus text ({@code /q/metrics}), and a process's memory as Linux
 * counts it ({@code /proc/<pid>/status}).
 */
final class ServiceMetrics {

    /** One sample: {@code name{labels} value}. */
    record Sample(String name, String labels, double value) {

        boolean has(String label, String value) {
            return labels.contains(label + "=\"" + value + "\"");
        }
    }

    private final List<Sample> samples;

    private ServiceMetrics(List<Sample> samples) {
        this.samples = samples;
    }

    static ServiceMetrics parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            int brace = line.indexOf('{');
            String series = line.substring(0, space).strip();
            String name = brace >= 0 && brace < space ? series.substring(0, series.indexOf('{')) : series;
            String labels = brace >= 0 && brace < space ? series.substring(series.indexOf('{')) : "";
            try {
                samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1).strip())));
            } catch (NumberFormatException e) {
                // a timestamped or malformed line: not one we read
            }
        }
        return new ServiceMetrics(samples);
    }

    /** The sum of the samples of {@code name} that pass {@code filter}; empty when there is none. */
    OptionalDouble sum(String name, Predicate<Sample> filter) {
        double sum = 0;
        boolean found = false;
        for (Sample sample : samples) {
            if (sample.name().equals(name) && filter.test(sample)) {
                sum += sample.value();
                found = true;
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    OptionalDouble sum(String name) {
        return sum(name, sample -> true);
    }

    /** The largest sample of {@code name}; empty when there is none. */
    OptionalDouble max(String name, Predicate<Sample> filter) {
        return samples.stream().filter(s -> s.name().equals(name) && filter.test(s)).mapToDouble(Sample::value).max();
    }

    /** Heap in use across every heap pool, in bytes. */
    OptionalDouble heapUsed() {
        return sum("jvm_memory_used_bytes", s -> s.has("area", "heap"));
    }

    /** The heap's limit: the pools' limits summed, those without one left out. */
    OptionalDouble heapMax() {
        return sum("jvm_memory_max_bytes", s -> s.has("area", "heap") && s.value() > 0);
    }

    /** A field of {@code /proc/<pid>/status} given in kB (VmRSS, VmHWM), in bytes; -1 when unreadable. */
    static long procStatusBytes(long pid, String field) {
        try {
            return statusBytes(Files.readString(Path.of("/proc", Long.toString(pid), "status")), field);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long statusBytes(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                String[] parts = line.substring(field.length() + 1).strip().split("\\s+");
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        return -1;
    }
}
