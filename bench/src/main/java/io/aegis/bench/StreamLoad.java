package io.aegis.bench;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.events.JobLogEvent;
import io.aegis.events.LogStream;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.aegis.events.kafka.JobLogDeserializer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Many live streams held by one log-stream-service: {@code streams} SSE connections over
 * {@code jobs} running jobs, opened at a steady rate as users {@code user-0000…} (each with as many
 * streams as the service allows a user). Once every stream has its snapshot, log lines are
 * published the way the pipeline-worker publishes them (a {@link JobLogEvent} through the events
 * module's serializer to {@code aegis.job.log}, keyed by job id, {@code linger.ms=5}), at
 * {@code rate} a second round robin over the jobs: first for a warm-up, then for {@code seconds}
 * that count. Each line's {@code seq} is its number in the run, so every reader knows when it was
 * published (the moment of the {@code send} call, in this process's clock).
 * <ul>
 * <li>delivery latency: publish → the SSE client receives the bytes of the event, for every
 * viewer of the job;</li>
 * <li>raw Kafka latency, in the same run: publish → a plain consumer of the topic (a group of its
 * own, on the same broker) receives the same record.</li>
 * </ul>
 * A job-service stand-in in this process answers the snapshots.
 */
final class StreamLoad {

    /**
     * @param service log-stream-service
     * @param gateway the gateway the viewers go through as users do (a stream ticket with their bearer
     *     token, then the stream with the ticket); null, the viewers open their streams straight at
     *     the service, in an identity signed as the gateway signs it
     * @param tokens the users' bearer tokens, for the gateway
     * @param metrics log-stream-service's Prometheus metrics, on its management port
     */
    record Options(URI service, URI gateway, Map<String, String> tokens, String kafka, int standInPort, int streams,
                   int jobs, int rate, int seconds, int warmupSeconds, int openRate, int streamsPerUser,
                   Map<String, Long> stack, BenchCallers callers, URI metrics) {

        /** Where the viewers connect. */
        URI entry() {
            return gateway == null ? service : gateway;
        }
    }

    private static final int SLICE_SECONDS = 10;
    private static final int OPENING_AT_ONCE = 256;
    /** Tries to open a stream, as long as none gave its snapshot: then the viewer gives up. */
    private static final int ATTEMPTS = 5;
    private static final Duration SNAPSHOTS_TIMEOUT = Duration.ofMinutes(3);
    /** With every stream open the machine settles (its CPUs mostly idle) before lines are published. */
    private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DRAIN_QUIET = Duration.ofSeconds(5);
    private static final Duration DRAIN_LONGEST = Duration.ofSeconds(60);
    private static final java.net.http.HttpClient METRICS = java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Options options;
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(1));
    private final List<Context> loops = List.of(vertx.getOrCreateContext(), vertx.getOrCreateContext());
    private final HttpClient client;
    private final UUID[] jobs;
    private final Viewer[] viewers;
    private final int warmupEvents;
    private final int measuredEvents;
    /** When each line was published ({@link System#nanoTime()}), by its seq; 0 until then. */
    private final AtomicLongArray published;
    private final Recorder deliveries;
    private final Recorder raw;
    private final Recorder snapshotLatency;
    private final Semaphore opening = new Semaphore(OPENING_AT_ONCE);
    private final LongAdder snapshots = new LongAdder();
    private final LongAdder openErrors = new LongAdder();
    private final Map<String, LongAdder> openErrorReasons = new ConcurrentHashMap<>();
    private final LongAdder closedEarly = new LongAdder();
    private final LongAdder reopened = new LongAdder();
    private final LongAdder settledViewers = new LongAdder();
    private final LongAdder gaps = new LongAdder();
    private final LongAdder droppedMarkers = new LongAdder();
    private final LongAdder endEvents = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder foreign = new LongAdder();
    private final LongAdder warmupDelivered = new LongAdder();
    private final LongAdder sendErrors = new LongAdder();
    private volatile boolean finishing;
    private String warmup = "none";

    StreamLoad(Options options) {
        this.options = options;
        this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(options.entry().getHost())
                        .setDefaultPort(options.entry().getPort()).setConnectTimeout(10_000).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(options.streams() + 16).setMaxWaitQueueSize(-1));
        this.jobs = new UUID[options.jobs()];
        for (int j = 0; j < jobs.length; j++) {
            jobs[j] = UUID.randomUUID();
        }
        this.viewers = new Viewer[options.streams()];
        for (int s = 0; s < viewers.length; s++) {
            viewers[s] = new Viewer(s, s % options.jobs(), user(s / options.streamsPerUser()));
        }
        this.warmupEvents = options.rate() * options.warmupSeconds();
        this.measuredEvents = options.rate() * options.seconds();
        this.published = new AtomicLongArray(warmupEvents + measuredEvents);
        long mostDeliveries = (long) measuredEvents * Math.ceilDiv(options.streams(), options.jobs());
        this.deliveries = new Recorder((int) Math.min(Integer.MAX_VALUE - 16, mostDeliveries));
        this.raw = new Recorder(measuredEvents);
        this.snapshotLatency = new Recorder(options.streams());
    }

    static String user(int i) {
        return String.format(Locale.ROOT, "user-%04d", i);
    }

    String run() throws Exception {
        try (JobServiceStandIn standIn = new JobServiceStandIn(vertx, options.standInPort(), options.callers());
             RawConsumer rawConsumer = new RawConsumer(options.kafka());
             KafkaProducer<String, Object> producer = producer(options.kafka())) {
            standIn.register(List.of(jobs));
            producer.partitionsFor(Topics.JOB_LOG);
            rawConsumer.positioned.get(60, TimeUnit.SECONDS);

            progress("opening %,d streams over %,d jobs at %,d/s (job-service stand-in on port %d)",
                    options.streams(), options.jobs(), options.openRate(), standIn.port());
            long openStart = System.nanoTime();
            openAll();
            double openSeconds = awaitSnapshots() / 1e9;
            long openedNanos = System.nanoTime() - openStart;
            progress("%,d of %,d streams have their snapshot after %.1f s; %,d open errors",
                    snapshots.sum(), options.streams(), openedNanos / 1e9, openErrors.sum());

            progress("publishing %,d log lines/s: %d s of warm-up, then %d s measured", options.rate(),
                    options.warmupSeconds(), options.seconds());
            Publishing publishing = publish(producer);
            long expected = publishing.expected();
            progress("published; waiting for the last deliveries");
            awaitDeliveries(() -> deliveries.count() + (long) raw.count(), expected + measuredEvents);
            finishing = true;

            ServiceMetrics after = scrape();
            long rss = ServiceMetrics.procStatusBytes(servicePid(), "VmRSS");
            long peakRss = ServiceMetrics.procStatusBytes(servicePid(), "VmHWM");
            OptionalDouble liveHeap = heapAfterFullGc();
            Gateway gateway = options.gateway() == null ? null : gateway();
            int open = (int) Arrays.stream(viewers).filter(v -> v.connected).count();
            return report(new Outcome(openSeconds, open, publishing, expected, after, publishing.metricsBefore(), rss,
                    peakRss, liveHeap, gateway));
        } finally {
            finishing = true;
            client.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------------------------ opening

    private void openAll() throws InterruptedException {
        long period = 1_000_000_000L / options.openRate();
        long start = System.nanoTime();
        for (int s = 0; s < viewers.length; s++) {
            pauseUntil(start + s * period);
            opening.acquire();
            Viewer viewer = viewers[s];
            viewer.loop.runOnContext(nothing -> viewer.open());
        }
    }

    /** Waits until every stream has its snapshot or failed; answers how long opening took in all. */
    private long awaitSnapshots() throws InterruptedException {
        long deadline = System.nanoTime() + SNAPSHOTS_TIMEOUT.toNanos();
        while (settledViewers.sum() < viewers.length && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return Arrays.stream(viewers).mapToLong(v -> v.snapshotAt).max().orElse(0)
                - Arrays.stream(viewers).mapToLong(v -> v.firstOpenedAt).filter(t -> t != 0).min().orElse(0);
    }

    /**
     * One viewer of a job, as a browser's EventSource follows it: a stream that ends while the job
     * runs is opened again after the server's {@code retry:} hint with {@code Last-Event-ID}, and a
     * refused open is tried again (up to {@link #ATTEMPTS} times in all). Called on its event loop only.
     */
    private final class Viewer {

        final int index;
        final int job;
        final String jobId;
        final String user;
        final Context loop;
        private SseReader reader;
        private long openedAt;
        volatile long firstOpenedAt;
        volatile long snapshotAt;
        volatile boolean snapshot;
        /** Open with its snapshot, or opening again (false once this viewer gave up). */
        volatile boolean following = true;
        /** Has a stream open right now (its snapshot came on the current connection). */
        volatile boolean connected;
        private boolean settled;
        private int attempts;
        private String lastEventId;
        private long retryMillis = 1_000;
        private long lastSeq = -1;
        private long receivedAt;

        Viewer(int index, int job, String user) {
            this.index = index;
            this.job = job;
            this.jobId = jobs[job].toString();
            this.user = user;
            this.loop = loops.get(index % loops.size());
        }

        void open() {
            attempts++;
            openedAt = System.nanoTime();
            if (firstOpenedAt == 0) {
                firstOpenedAt = openedAt;
            }
            SseReader connection = new SseReader(this::event);
            reader = connection;
            String events = "/api/v1/jobs/" + jobId + "/events";
            Future<RequestOptions> request = options.gateway() == null
                    ? Future.succeededFuture(new RequestOptions().setURI(events)
                            .putHeader(AegisHeaders.IDENTITY, options.callers().identity(user)))
                    : ticket().map(ticket -> new RequestOptions().setURI(events + "?ticket=" + ticket));
            request.map(r -> {
                        r.setMethod(HttpMethod.GET).putHeader("Accept", "text/event-stream");
                        return lastEventId == null ? r : r.putHeader("Last-Event-ID", lastEventId);
                    })
                    .compose(client::request)
                    .compose(r -> r.send())
                    .onSuccess(response -> opened(connection, response))
                    .onFailure(failure -> failed(failure.getClass().getSimpleName() + ": " + failure.getMessage()));
        }

        /** A stream ticket from the gateway, as the web app gets one before it opens an EventSource. */
        private Future<String> ticket() {
            RequestOptions asking = new RequestOptions().setMethod(HttpMethod.POST)
                    .setURI("/api/v1/jobs/" + jobId + "/stream-ticket")
                    .putHeader("Authorization", "Bearer " + options.tokens().get(user));
            return client.request(asking).compose(r -> r.send()).compose(response -> response.body().compose(body ->
                    response.statusCode() == 201 ? Future.succeededFuture(body.toJsonObject().getString("ticket"))
                            : Future.failedFuture(new IllegalStateException("ticket " + response.statusCode() + " "
                                    + code(body)))));
        }

        private void opened(SseReader connection, HttpClientResponse response) {
            if (response.statusCode() != 200) {
                response.body().onComplete(body -> failed(response.statusCode() + " " + code(body.result())));
                return;
            }
            response.handler(buffer -> {
                receivedAt = System.nanoTime();
                connection.feed(buffer.getBytes());
            });
            response.exceptionHandler(failure -> ended(connection));
            response.endHandler(nothing -> ended(connection));
        }

        private void event(SseReader.Event event) {
            if (event.id() != null) {
                lastEventId = event.id();
            }
            switch (event.type()) {
                case "snapshot" -> {
                    attempts = 0;
                    connected = true;
                    if (!snapshot) {
                        snapshotAt = receivedAt;
                        snapshot = true;
                        snapshots.increment();
                        snapshotLatency.record(index, receivedAt - openedAt);
                        settle();
                    }
                }
                case "log" -> line(event.data());
                case "gap" -> gaps.increment();
                case "dropped" -> droppedMarkers.increment();
                case "succeeded", "failed", "cancelled" -> endEvents.increment();
                default -> {
                }
            }
        }

        private void line(String data) {
            long seq = SseReader.seq(data);
            if (seq < 0 || seq >= published.length() || !data.contains(jobId)) {
                foreign.increment();
                return;
            }
            if (seq <= lastSeq) {
                duplicates.increment();
                return;
            }
            lastSeq = seq;
            if (seq < warmupEvents) {
                warmupDelivered.increment();
            } else {
                deliveries.record(seq, receivedAt - published.get((int) seq));
            }
        }

        private void failed(String reason) {
            openErrors.increment();
            openErrorReasons.computeIfAbsent(reason, r -> new LongAdder()).increment();
            again();
        }

        /** The server ended the stream (or the connection broke) while the job still runs. */
        private void ended(SseReader connection) {
            if (connection != reader || finishing) {
                return;
            }
            reader = null;
            connected = false;
            if (snapshot) {
                closedEarly.increment();
            }
            again();
        }

        private void again() {
            if (finishing || attempts >= ATTEMPTS) {
                following = false;
                settle();
                return;
            }
            reopened.increment();
            vertx.setTimer(retryMillis, id -> loop.runOnContext(nothing -> open()));
        }

        private void settle() {
            if (!settled) {
                settled = true;
                opening.release();
                settledViewers.increment();
            }
        }
    }

    private static String code(Buffer body) {
        String text = body == null ? "" : body.toString();
        int at = text.indexOf("\"code\":\"");
        return at < 0 ? "" : text.substring(at + 8, Math.max(at + 8, text.indexOf('"', at + 8)));
    }

    // ------------------------------------------------------------------ publishing

    private record Publishing(long measuredFrom, long measuredTo, long expected, ServiceMetrics metricsBefore,
                              Machine.Usage usage, Map<String, Double> cores) {
    }

    private static KafkaProducer<String, Object> producer(String bootstrapServers) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "aegis-bench-worker");
        // as the pipeline-worker publishes its log lines
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // a broker gone away fails the run instead of holding every send for a minute
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        return new KafkaProducer<>(config, new StringSerializer(), new EventSerializer());
    }

    /**
     * The warm-up, then (once its lines are delivered and the machine is quiet again, so no backlog
     * of a cold service is carried over) the measured lines, each part on its own schedule.
     */
    private Publishing publish(KafkaProducer<String, Object> producer) throws IOException, InterruptedException {
        Map<String, Long> pids = pids();
        if (warmupEvents > 0) {
            send(producer, 0, warmupEvents);
            long owed = expected(0, warmupEvents);
            awaitDeliveries(warmupDelivered::sum, owed);
            boolean quiet = Machine.awaitQuiet(QUIET_TIMEOUT);
            warmup = String.format(Locale.ROOT, "%,d lines, %,d of %,d deliveries, then %s", warmupEvents,
                    warmupDelivered.sum(), owed, quiet ? "the machine was let settle"
                            : "the machine stayed busy for " + QUIET_TIMEOUT.toSeconds() + " s");
            progress("warm-up: %s", warmup);
        }
        ServiceMetrics before = scrape();
        long expected = expected(warmupEvents, warmupEvents + measuredEvents);
        progress("measuring %d s (%,d deliveries expected)", options.seconds(), expected);
        Machine.Meter meter = new Machine.Meter(List.copyOf(pids.values()));
        Map<String, Long> ticksBefore = ticks(pids);
        long measuredFrom = System.nanoTime();
        send(producer, warmupEvents, warmupEvents + measuredEvents);
        long measuredTo = System.nanoTime();
        Map<String, Long> ticksAfter = ticks(pids);
        Machine.Usage usage = meter.stop();
        Map<String, Double> cores = new LinkedHashMap<>();
        double seconds = (measuredTo - measuredFrom) / 1e9;
        for (String name : pids.keySet()) {
            cores.put(name, (ticksAfter.get(name) - ticksBefore.get(name)) / 100.0 / seconds);
        }
        return new Publishing(measuredFrom, measuredTo, expected, before, usage, cores);
    }

    /** Publishes lines {@code from} to {@code to} (exclusive) at the rate, open loop. */
    private void send(KafkaProducer<String, Object> producer, int from, int to) {
        long period = 1_000_000_000L / options.rate();
        long start = System.nanoTime() + 10_000_000L;
        for (int i = from; i < to; i++) {
            pauseUntil(start + (i - from) * period);
            UUID job = jobs[i % jobs.length];
            JobLogEvent line = new JobLogEvent(JobLogEvent.SCHEMA, job, 1, i, "search", LogStream.STDOUT, "blastp",
                    "Searching batch " + (i % 18 + 1) + " of 18 against bench: 18000 sequences, 6270000 letters (line "
                            + i + ")", Instant.now());
            published.set(i, System.nanoTime());
            producer.send(new ProducerRecord<>(Topics.JOB_LOG, job.toString(), line), (metadata, failure) -> {
                if (failure != null && sendErrors.sum() == 0) {
                    System.err.println("  publish failed: " + failure);
                }
                if (failure != null) {
                    sendErrors.increment();
                }
            });
        }
        producer.flush();
    }

    /** Deliveries lines {@code from} to {@code to} owe: each line once to every open stream of its job. */
    private long expected(int from, int to) {
        int[] open = new int[jobs.length];
        for (Viewer viewer : viewers) {
            if (viewer.snapshot && viewer.following) {
                open[viewer.job]++;
            }
        }
        long expected = 0;
        for (int i = from; i < to; i++) {
            expected += open[i % jobs.length];
        }
        return expected;
    }

    /** Waits until {@code count} reaches {@code expected}, or stops growing for a while. */
    private static void awaitDeliveries(LongSupplier count, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_LONGEST.toNanos();
        long quietSince = System.nanoTime();
        long seen = -1;
        while (System.nanoTime() < deadline && count.getAsLong() < expected) {
            long now = count.getAsLong();
            if (now != seen) {
                seen = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > DRAIN_QUIET.toNanos()) {
                return;
            }
            Thread.sleep(100);
        }
    }

    // ------------------------------------------------------------------ the raw consumer

    /** A plain consumer of the topic, in a group of its own, from the end of every partition. */
    private final class RawConsumer implements AutoCloseable {

        final CompletableFuture<Void> positioned = new CompletableFuture<>();
        private final KafkaConsumer<String, JobLogEvent> consumer;
        private final Thread poller;
        private volatile boolean closing;

        RawConsumer(String bootstrapServers) {
            Properties config = new Properties();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            config.put(ConsumerConfig.GROUP_ID_CONFIG, "aegis-bench-raw-" + UUID.randomUUID());
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
            this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new JobLogDeserializer());
            this.poller = Thread.ofPlatform().name("raw-consumer").daemon().start(this::poll);
        }

        private void poll() {
            try {
                consumer.subscribe(List.of(Topics.JOB_LOG));
                while (consumer.assignment().isEmpty() && !closing) {
                    consumer.poll(Duration.ofMillis(100));
                }
                consumer.seekToEnd(consumer.assignment());
                consumer.assignment().forEach(consumer::position);
                positioned.complete(null);
                while (!closing) {
                    var records = consumer.poll(Duration.ofMillis(200));
                    long now = System.nanoTime();
                    for (ConsumerRecord<String, JobLogEvent> record : records) {
                        JobLogEvent line = record.value();
                        if (line != null && line.seq() >= warmupEvents && line.seq() < published.length()) {
                            raw.record(line.seq(), now - published.get((int) line.seq()));
                        }
                    }
                }
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                positioned.completeExceptionally(e);
                System.err.println("  the raw consumer stopped: " + e);
            } finally {
                consumer.close(Duration.ofSeconds(2));
            }
        }

        @Override
        public void close() throws InterruptedException {
            closing = true;
            consumer.wakeup();
            poller.join(5_000);
        }
    }

    // ------------------------------------------------------------------ the service

    private ServiceMetrics scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = METRICS.send(HttpRequest.newBuilder(options.metrics())
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return ServiceMetrics.parse(response.body());
    }

    /** The heap still in use once a full collection ran (jcmd GC.run), with every stream open. */
    private OptionalDouble heapAfterFullGc() {
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(servicePid()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return OptionalDouble.empty();
            }
            return scrape().heapUsed();
        } catch (IOException | InterruptedException e) {
            return OptionalDouble.empty();
        }
    }

    private long servicePid() {
        return pids().getOrDefault("log-stream-service", -1L);
    }

    /** The gateway's memory with every stream open: its heap after a full collection, its resident set. */
    private record Gateway(OptionalDouble liveHeap, long rss, long peakRss) {
    }

    private Gateway gateway() {
        long pid = pids().getOrDefault("gateway-service", -1L);
        return new Gateway(JvmHeap.liveAfterFullGc(pid), ServiceMetrics.procStatusBytes(pid, "VmRSS"),
                ServiceMetrics.procStatusBytes(pid, "VmHWM"));
    }

    /** The stack's processes by name, and this one as {@code bench}. */
    private Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String name : List.of("gateway-service", "log-stream-service", "kafka", "redis")) {
            Long pid = options.stack().get(name);
            if (pid != null) {
                pids.put(name, pid);
            }
        }
        pids.put("bench", ProcessHandle.current().pid());
        return pids;
    }

    private static Map<String, Long> ticks(Map<String, Long> pids) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        pids.forEach((name, pid) -> ticks.put(name, Machine.processTicks(List.of(pid))));
        return ticks;
    }

    // ------------------------------------------------------------------ the report

    private record Outcome(double openSeconds, int open, Publishing publishing, long expected, ServiceMetrics after,
                           ServiceMetrics before, long rss, long peakRss, OptionalDouble liveHeap, Gateway gateway) {
    }

    private String report(Outcome o) {
        Publishing p = o.publishing();
        long[] delivered = deliveries.latencies();
        long[] kafka = raw.latencies();
        long lost = Math.max(0, o.expected() - delivered.length);
        double measuredSeconds = (p.measuredTo() - p.measuredFrom()) / 1e9;
        StringBuilder out = new StringBuilder();
        int perJob = Math.ceilDiv(options.streams(), options.jobs());
        out.append(String.format(Locale.ROOT, "Live streams: %s, %,d SSE streams over %,d running jobs "
                        + "(%d viewers a job; %,d users with up to %d streams each), %,d log lines/s for %d s after %d s of warm-up%n",
                options.gateway() == null ? "one log-stream-service, streams opened straight at it"
                        : "through one gateway (a stream ticket, then the stream) to one log-stream-service",
                options.streams(), options.jobs(), perJob, Math.ceilDiv(options.streams(), options.streamsPerUser()),
                options.streamsPerUser(), options.rate(), options.seconds(), options.warmupSeconds()));
        long gaveUp = Arrays.stream(viewers).filter(v -> !v.following).count();
        line(out, "streams held", "%,d of %,d open at the end; %,d ended by the service while their job ran "
                        + "(opened again with Last-Event-ID after 1 s, as EventSource does); %,d viewers gave up",
                o.open(), options.streams(), closedEarly.sum(), gaveUp);
        line(out, "open errors", "%,d%s", openErrors.sum(), reasons());
        line(out, "opening", "%,d snapshots in %.1f s (asked at %,d/s); open%s → snapshot %s",
                snapshots.sum(),
                o.openSeconds(), options.openRate(), options.gateway() == null ? "" : " (the ticket, then the stream)",
                Latencies.of(snapshotLatency.latencies()).format());
        line(out, "warm-up", "%s", warmup);
        line(out, "events", "%,d published in %.1f s (%.0f/s)%s; deliveries expected %,d (each line × the open streams of its job)",
                measuredEvents, measuredSeconds, measuredEvents / measuredSeconds,
                sendErrors.sum() > 0 ? ", " + sendErrors.sum() + " publish errors" : "", o.expected());
        line(out, "delivered", "%,d delivered, %,d lost, %,d duplicates, %,d gap events, %,d dropped-lines markers, "
                        + "%,d terminal events, %,d foreign",
                delivered.length, lost, duplicates.sum(), gaps.sum(), droppedMarkers.sum(), endEvents.sum(), foreign.sum());
        line(out, "delivery latency", "worker publish → SSE client receive       %s", Latencies.of(delivered).format());
        line(out, "raw Kafka latency", "produce → plain consumer, same broker/run  %s%s", Latencies.of(kafka).format(),
                kafka.length < measuredEvents ? String.format(Locale.ROOT, " (%,d of %,d consumed)", kafka.length,
                        measuredEvents) : "");
        line(out, "delivery p99 by 10 s", "%s ms", deliveries.slices(warmupEvents, options.rate() * SLICE_SECONDS)
                .stream().map(l -> String.format(Locale.ROOT, "%.0f", l.p99())).toList());
        line(out, "service's own lag", "record timestamp → written to the stream (aegis.stream.delivery.lag, whole run): "
                        + "p50 %s, p90 %s, p99 %s", quantile(o.after(), "0.5"), quantile(o.after(), "0.9"),
                quantile(o.after(), "0.99"));
        line(out, "service heap", "%s used of %s at the end; %s live after a full GC with every stream open",
                mb(o.after().heapUsed()), mb(o.after().heapMax()), mb(o.liveHeap()));
        line(out, "service GC", "%s", gc(o.before(), o.after(), measuredSeconds));
        line(out, "service RSS", "%s (peak %s)", mb(o.rss()), mb(o.peakRss()));
        if (o.gateway() != null) {
            line(out, "gateway heap", "%s live after a full GC with every stream open; RSS %s (peak %s); "
                    + "collections in logs/gateway-service-gc.log", mb(o.gateway().liveHeap()), mb(o.gateway().rss()),
                    mb(o.gateway().peakRss()));
        }
        line(out, "CPU, measured part", "%s; other work on the machine %.2f; all %.2f of %d cores",
                cores(p.cores()), p.usage().otherCores(), p.usage().busyCores(), Runtime.getRuntime().availableProcessors());
        line(out, "target", "delivery p99 ≤ 100 ms: %s; %,d streams held: %s; heap ≤ 512 MB: the service runs with a "
                        + "limit of %s, %s",
                Latencies.of(delivered).p99() <= 100 ? "met" : "missed", options.streams(),
                o.open() == options.streams() && lost == 0 ? "met" : "missed", mb(o.after().heapMax()),
                o.open() == options.streams() ? "held every stream" : "see above");
        return out.toString();
    }

    private String reasons() {
        return openErrorReasons.isEmpty() ? "" : openErrorReasons.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum())).limit(3)
                .map(e -> e.getValue().sum() + "× " + e.getKey()).collect(Collectors.joining(", ", " (", ")"));
    }

    private static String quantile(ServiceMetrics metrics, String q) {
        OptionalDouble seconds = metrics.max("aegis_stream_delivery_lag_seconds", s -> s.has("quantile", q));
        return seconds.isPresent() ? String.format(Locale.ROOT, "%.0f ms", seconds.getAsDouble() * 1000) : "–";
    }

    private static String gc(ServiceMetrics before, ServiceMetrics after, double seconds) {
        double count = after.sum("jvm_gc_pause_seconds_count").orElse(0) - before.sum("jvm_gc_pause_seconds_count").orElse(0);
        double sum = after.sum("jvm_gc_pause_seconds_sum").orElse(0) - before.sum("jvm_gc_pause_seconds_sum").orElse(0);
        OptionalDouble max = after.max("jvm_gc_pause_seconds_max", s -> true);
        return String.format(Locale.ROOT, "%.0f pauses in the measured %.0f s, %.0f ms in all (%.1f %% of the time); "
                        + "longest pause of the last minutes %s", count, seconds, sum * 1000, sum / seconds * 100,
                max.isPresent() ? String.format(Locale.ROOT, "%.0f ms", max.getAsDouble() * 1000) : "–");
    }

    private static String cores(Map<String, Double> cores) {
        return String.join(", ", cores.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue())).toList());
    }

    private static String mb(OptionalDouble bytes) {
        return bytes.isPresent() ? mb((long) bytes.getAsDouble()) : "–";
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "–" : String.format(Locale.ROOT, "%.0f MB", bytes / 1024.0 / 1024);
    }

    private static void line(StringBuilder out, String label, String format, Object... args) {
        out.append(String.format(Locale.ROOT, "  %-21s " + format + "%n", prepend(label, args)));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "    " + format + "%n", args);
    }

    private static void pauseUntil(long due) {
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /** Latencies by the seq of their line, from any thread. */
    static final class Recorder {

        private final AtomicLongArray nanos;
        private final AtomicIntegerArray seqs;
        private final AtomicInteger count = new AtomicInteger();

        Recorder(int capacity) {
            this.nanos = new AtomicLongArray(capacity);
            this.seqs = new AtomicIntegerArray(capacity);
        }

        void record(long seq, long latency) {
            int i = count.getAndIncrement();
            if (i < nanos.length()) {
                seqs.set(i, (int) seq);
                nanos.set(i, latency);
            }
        }

        int count() {
            return Math.min(count.get(), nanos.length());
        }

        long[] latencies() {
            long[] out = new long[count()];
            for (int i = 0; i < out.length; i++) {
                out[i] = nanos.get(i);
            }
            return out;
        }

        /** The latencies of the lines published in each run of {@code width} seqs from {@code from}. */
        List<Latencies> slices(int from, int width) {
            List<List<Long>> slices = new ArrayList<>();
            for (int i = 0; i < count(); i++) {
                int slice = (seqs.get(i) - from) / width;
                while (slices.size() <= slice) {
                    slices.add(new ArrayList<>());
                }
                slices.get(slice).add(nanos.get(i));
            }
            return slices.stream().map(s -> Latencies.of(s.stream().mapToLong(Long::longValue).toArray())).toList();
        }
    }
}
