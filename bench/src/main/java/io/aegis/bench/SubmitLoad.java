package io.aegis.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Submits jobs through the gateway at a fixed rate, open loop: request i is due at its scheduled time
 * whatever happened to earlier ones, and its latency counts from when it was due, so a server that
 * falls behind shows it (no coordinated omission). Freshly started services are warmed up first
 * with a number of submits sent closed loop (a few in flight, as fast as the stack answers, so no
 * backlog is carried into the measurement) and a pause to let the stack settle; the first seconds at
 * the full rate, while connection pools fill, are sent but not counted. Every job is
 * distinct (its own query, reuse off), so each one is validated, stored and queued for real.
 */
final class SubmitLoad {

    /** Requests per slice of the timeline, to show when latency moved (a stall, a backlog building). */
    private static final int SLICE_SECONDS = 5;
    private static final int WARMUP_IN_FLIGHT = 16;
    private static final int RAMP_SECONDS = 5;
    /** The stack settles after the warm-up (its consumers catch up) before the measurement starts. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(120);

    record Result(double offeredRate, double acceptedRate, int accepted, int refused, Latencies latencies,
                  List<Latencies> slices) {

        String format() {
            return String.format(Locale.ROOT, "offered %.0f jobs/s, accepted %.0f jobs/s (%d accepted, %d refused); %s%n"
                            + "    p99 per %d s of the run: %s ms", offeredRate, acceptedRate, accepted, refused,
                    latencies.format(), SLICE_SECONDS, slices.stream()
                            .map(slice -> String.format(Locale.ROOT, "%.0f", slice.p99())).toList());
        }
    }

    private final Http http;

    SubmitLoad(Http http) {
        this.http = http;
    }

    Result run(int rate, int warmupJobs, int seconds) throws InterruptedException {
        warmUp(warmupJobs);
        int ramp = rate * RAMP_SECONDS;
        int total = ramp + rate * seconds;
        byte[][] bodies = new byte[total][];
        for (int i = 0; i < total; i++) {
            bodies[i] = Http.json(job(warmupJobs + i));
        }
        long period = 1_000_000_000L / rate;
        long[] latencies = new long[total - ramp];
        AtomicInteger refused = new AtomicInteger();
        List<CompletableFuture<?>> inFlight = new ArrayList<>(total);
        long start = System.nanoTime() + 100_000_000L;
        long measuredFrom = start + ramp * period;
        for (int i = 0; i < total; i++) {
            int slot = i - ramp;
            long due = start + i * period;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            inFlight.add(http.postJson("/api/v1/jobs", bodies[i]).whenComplete((response, failure) -> {
                long latency = System.nanoTime() - due;
                if (slot < 0) {
                    return;
                }
                if (failure == null && response.status() == 202) {
                    latencies[slot] = latency;
                } else if (refused.incrementAndGet() <= 3) {
                    System.err.println("  refused: " + (failure != null ? failure : describe(response)));
                }
            }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).exceptionally(failure -> null).join();
        double windowSeconds = (System.nanoTime() - measuredFrom) / 1e9;
        List<Latencies> slices = new ArrayList<>();
        for (int from = 0; from < latencies.length; from += rate * SLICE_SECONDS) {
            slices.add(accepted(Arrays.copyOfRange(latencies, from,
                    Math.min(latencies.length, from + rate * SLICE_SECONDS))));
        }
        Latencies all = accepted(latencies);
        return new Result(rate, all.count() / windowSeconds, all.count(), refused.get(), all, slices);
    }

    private void warmUp(int jobs) throws InterruptedException {
        Semaphore slots = new Semaphore(WARMUP_IN_FLIGHT);
        for (int i = 0; i < jobs; i++) {
            slots.acquire();
            http.postJson("/api/v1/jobs", Http.json(job(i))).whenComplete((response, failure) -> slots.release());
        }
        slots.acquire(WARMUP_IN_FLIGHT);
        Machine.awaitQuiet(SETTLE_TIMEOUT);
    }

    /** The latencies of the accepted requests (a refused one left its slot at zero). */
    private static Latencies accepted(long[] latencies) {
        return Latencies.of(Arrays.stream(latencies).filter(latency -> latency > 0).toArray());
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
