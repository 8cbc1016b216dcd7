package io.aegis.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Submits jobs through the gateway at a fixed rate, open loop: request i is due at its scheduled time
 * whatever happened to earlier ones, and its latency counts from when it was due, so a server that
 * falls behind shows it (no coordinated omission). A warm-up at half the rate comes first, so freshly
 * started services are compiled before the measured window; it is not counted. Every job is distinct
 * (its own query, reuse off), so each one is validated, stored and queued for real.
 */
final class SubmitLoad {

    record Result(double offeredRate, double acceptedRate, int accepted, int refused, Latencies latencies) {

        String format() {
            return String.format(Locale.ROOT, "offered %.0f jobs/s, accepted %.0f jobs/s (%d accepted, %d refused); %s",
                    offeredRate, acceptedRate, accepted, refused, latencies.format());
        }
    }

    private final Http http;

    SubmitLoad(Http http) {
        this.http = http;
    }

    Result run(int rate, int warmupSeconds, int seconds) throws InterruptedException {
        int warmup = rate / 2 * warmupSeconds;
        int total = warmup + rate * seconds;
        long warmupPeriod = 2_000_000_000L / rate;
        long period = 1_000_000_000L / rate;
        byte[][] bodies = new byte[total][];
        for (int i = 0; i < total; i++) {
            bodies[i] = Http.json(job(i));
        }
        ConcurrentLinkedQueue<Long> measured = new ConcurrentLinkedQueue<>();
        AtomicInteger refused = new AtomicInteger();
        List<CompletableFuture<?>> inFlight = new ArrayList<>(total);
        long start = System.nanoTime() + 100_000_000L;
        long measuredFrom = start + warmup * warmupPeriod;
        for (int i = 0; i < total; i++) {
            boolean counted = i >= warmup;
            long due = counted ? measuredFrom + (i - warmup) * period : start + i * warmupPeriod;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            inFlight.add(http.postJson("/api/v1/jobs", bodies[i]).whenComplete((response, failure) -> {
                long latency = System.nanoTime() - due;
                if (!counted) {
                    return;
                }
                if (failure == null && response.status() == 202) {
                    measured.add(latency);
                } else if (refused.incrementAndGet() <= 3) {
                    System.err.println("  refused: " + (failure != null ? failure : describe(response)));
                }
            }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).exceptionally(failure -> null).join();
        double windowSeconds = (System.nanoTime() - measuredFrom) / 1e9;
        long[] nanos = measured.stream().mapToLong(Long::longValue).toArray();
        return new Result(rate, nanos.length / windowSeconds, nanos.length, refused.get(), Latencies.of(nanos));
    }

    /** A small, distinct protein job: two queries whose residues encode {@code i}. */
    static Map<String, Object> job(int i) {
        String tag = Integer.toString(i, 20).chars()
                .mapToObj(c -> String.valueOf("ACDEFGHIKLMNPQRSTVWY".charAt(Character.digit(c, 20))))
                .reduce("", String::concat);
        String fasta = ">bench-" + i + "-a\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ" + tag + "\n"
                + ">bench-" + i + "-b\nMSTNPKPQRKTKRNTNRRPQDVKFPGG" + tag + "\n";
        return Map.of("fasta", fasta, "pipeline", "blast", "database", "demo", "name", "bench " + i,
                "params", Map.of("program", "blastp"), "reuse", false);
    }

    private static String describe(Http.Response response) {
        return response.status() + " " + response.body();
    }
}
