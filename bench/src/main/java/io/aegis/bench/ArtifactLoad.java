package io.aegis.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.aegis.contracts.http.AegisHeaders;
import io.aegis.events.ArtifactStateEvent;
import io.aegis.events.JobLogEvent;
import io.aegis.events.JobStateEvent;
import io.aegis.events.JobStatus;
import io.aegis.events.LogStream;
import io.aegis.events.StoreLayout;
import io.aegis.events.Topics;
import io.aegis.events.kafka.EventSerializer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A finished job with a million hits, finalized and served by one artifact-service:
 * <ol>
 *   <li>places a real BLAST search of a million hits into the store as the worker leaves a job
 *   ({@link ArchivedSearch}: {@code results/hits.tsv} and {@code results/hits.json}, BLAST's columns with
 *   the aligned sequences, and BLAST's archive of the search), publishes its log lines on
 *   {@code aegis.job.log} and then its terminal state on {@code aegis.job.state};</li>
 *   <li>times the finalization until every artifact is ready, and reads the service's collector log for the
 *   most heap it held; then asks for BLAST's own formats (made from the archive only on request) and times
 *   them the same way;</li>
 *   <li>walks the whole hit table in every sort order with the cursor (checking every row comes once,
 *   in order), then times pages of 50 at random depths and pages filtered by query;</li>
 *   <li>downloads {@code hits.tsv} beside reading the same file from disk and beside the same file
 *   sent over loopback by a bare {@code sendfile} server (the ceiling of any download here), with the
 *   file out of the page cache and with it in; then the export zip.</li>
 * </ol>
 * job-service is stood in for where the finalization asks it for the job's execution steps.
 */
final class ArtifactLoad {

    record Options(URI service, String kafka, Path store, Path cache, int jobServicePort, int hits, int queries,
                   int pages, Path gcLog, BenchCallers callers) {
    }

    static final List<String> COLUMNS = List.of("qseqid", "sseqid", "pident", "length", "mismatch", "gapopen",
            "qstart", "qend", "sstart", "send", "evalue", "bitscore", "qseq", "sseq");
    private static final String OWNER = "bench-owner";
    private static final int LOG_LINES = 20_000;
    private static final int WALK_LIMIT = 500;
    private static final int PAGE_LIMIT = 50;
    private static final Duration FINALIZE_TIMEOUT = Duration.ofMinutes(20);
    private static final Map<String, String> SORT_FIELD = Map.of("evalue", "evalue", "bitscore", "bitscore",
            "identity", "pident");

    private final Options options;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final StringBuilder report = new StringBuilder();
    /** The job's hits, as the search found them. */
    private long hits;

    ArtifactLoad(Options options) {
        this.options = options;
    }

    String run() throws Exception {
        UUID job = UUID.randomUUID();
        StoreLayout store = new StoreLayout(options.store());
        progress("a BLAST search of about %,d hits over %,d queries (made once, then kept in %s)", options.hits(),
                options.queries(), options.cache());
        long searchStart = System.nanoTime();
        Path search = ArchivedSearch.made(options.cache(), options.hits(), options.queries(), COLUMNS);
        progress("searched in %.1f s", (System.nanoTime() - searchStart) / 1e9);
        ArchivedSearch.place(search, store, job);
        Path hitsTsv = store.results(job).resolve("hits.tsv");
        try (Stream<String> lines = Files.lines(hitsTsv)) {
            hits = lines.count();
        }
        long archived;
        try (Stream<Path> batches = Files.list(store.archive(job))) {
            archived = batches.mapToLong(ArtifactLoad::sizeOf).sum();
        }
        line("job: %,d hits over %,d queries, real blastp output; hits.tsv %s, hits.json %s, BLAST's archive %s, "
                + "%,d log lines", hits, options.queries(), size(Files.size(hitsTsv)),
                size(Files.size(store.results(job).resolve("hits.json"))), size(archived), LOG_LINES);

        Vertx vertx = Vertx.vertx();
        HttpServer steps = stepsStandIn(vertx, options.jobServicePort());
        try (KafkaProducer<String, Object> producer = producer(options.kafka())) {
            publishLog(producer, job);
            long start = System.nanoTime();
            producer.send(new ProducerRecord<>(Topics.JOB_STATE, job.toString(), terminal(job))).get(10, TimeUnit.SECONDS);
            Map<String, Double> readyAfter = new HashMap<>();
            JsonNode artifacts = awaitFinalized(job, start, readyAfter);
            double seconds = (System.nanoTime() - start) / 1e9;
            progress("finalized in %.1f s", seconds);
            section("Finalization (terminal event → every artifact ready; each artifact's time is when a poll "
                    + "every 250 ms first saw it ready)");
            line("time: %.1f s (%,.0f hits/s)", seconds, hits / seconds);
            List<String> onRequest = new ArrayList<>();
            for (JsonNode item : artifacts.path("items")) {
                String name = item.path("name").asText();
                if ("on_request".equals(item.path("state").asText())) {
                    onRequest.add(name);
                    continue;
                }
                line("  %-20s %-7s %10s  ready after %6.1f s", name, item.path("state").asText(),
                        item.path("size").isNumber() ? size(item.path("size").asLong()) : "",
                        readyAfter.getOrDefault(name, Double.NaN));
            }
            heap();

            section("BLAST's own formats, made on request (all " + onRequest.size() + " asked for at once after the "
                    + "finalization, each by a POST …/build; request → ready, polled every 250 ms)");
            long asked = System.nanoTime();
            for (String name : onRequest) {
                int status = post("/api/v1/jobs/" + job + "/artifacts/" + name + "/build").statusCode();
                if (status != 202) {
                    throw new IllegalStateException("asking for " + name + " answered " + status);
                }
            }
            Map<String, Double> madeAfter = new HashMap<>();
            JsonNode made = awaitFinalized(job, asked, madeAfter);
            line("time: %.1f s", (System.nanoTime() - asked) / 1e9);
            for (JsonNode item : made.path("items")) {
                String name = item.path("name").asText();
                if (onRequest.contains(name)) {
                    line("  %-20s %-7s %10s  ready after %6.1f s", name, item.path("state").asText(),
                            item.path("size").isNumber() ? size(item.path("size").asLong()) : "",
                            madeAfter.getOrDefault(name, Double.NaN));
                }
            }
            heap();
        } finally {
            steps.close();
            vertx.close();
        }

        section("Hit table pages (" + PAGE_LIMIT + " hits a page unless said, one client, one request at a time)");
        Map<String, List<String>> cursors = new HashMap<>();
        for (String sort : SORT_FIELD.keySet().stream().sorted().toList()) {
            cursors.put(sort, walk(job, sort));
        }
        pages(job, cursors);

        section("Download of hits.tsv (" + size(Files.size(hitsTsv)) + ") beside reading it from disk");
        downloads(job, hitsTsv);
        exportZip(job);
        return report.toString();
    }

    // ------------------------------------------------------------------ the job

    private static void publishLog(KafkaProducer<String, Object> producer, UUID job) throws Exception {
        Instant at = Instant.now();
        for (int i = 1; i <= LOG_LINES; i++) {
            producer.send(new ProducerRecord<>(Topics.JOB_LOG, job.toString(), new JobLogEvent(JobLogEvent.SCHEMA, job,
                    1, i, "search", LogStream.STDOUT, "blastp", "batch " + (i % 40 + 1) + ": line " + i, at)));
        }
        producer.flush();
    }

    private static JobStateEvent terminal(UUID job) {
        return new JobStateEvent(JobStateEvent.SCHEMA, job, OWNER, JobStatus.SUCCEEDED, "finalize", 1, 1, null, null,
                1, 9, null, Instant.now());
    }

    /** Answers the execution steps the finalization asks job-service for. */
    private HttpServer stepsStandIn(Vertx vertx, int port) throws Exception {
        String steps = """
                {"items":[{"key":"validate","status":"completed"},{"key":"split","status":"completed"},\
                {"key":"search","status":"completed"},{"key":"merge","status":"completed"},\
                {"key":"finalize","status":"completed"}]}""";
        return vertx.createHttpServer().requestHandler(request -> {
            if (request.path().endsWith("/execution-steps")
                    && OWNER.equals(options.callers().user(request.getHeader(AegisHeaders.IDENTITY)))) {
                request.response().putHeader("Content-Type", "application/json").end(steps);
            } else {
                request.response().setStatusCode(404).putHeader("Content-Type", "application/problem+json")
                        .end("{\"status\":404,\"code\":\"JOB_NOT_FOUND\",\"title\":\"Job not found\"}");
            }
        }).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * Waits until every artifact is ready (those made on request and not asked for aside), noting in
     * {@code readyAfter} when each was first seen ready.
     */
    private JsonNode awaitFinalized(UUID job, long start, Map<String, Double> readyAfter) throws Exception {
        long deadline = System.nanoTime() + FINALIZE_TIMEOUT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = get("/api/v1/jobs/" + job + "/artifacts");
            if (response.statusCode() == 200) {
                last = Http.JSON.readTree(response.body());
                boolean allReady = last.path("items").size() > 0;
                for (JsonNode item : last.path("items")) {
                    String name = item.path("name").asText();
                    String state = item.path("state").asText();
                    if ("failed".equals(state)) {
                        throw new IllegalStateException("artifact " + name + " failed: " + item.path("error").asText());
                    }
                    if ("ready".equals(state)) {
                        readyAfter.putIfAbsent(name, (System.nanoTime() - start) / 1e9);
                    } else if (!"on_request".equals(state)) {
                        allReady = false;
                    }
                }
                if (allReady && readyAfter.containsKey(ArtifactStateEvent.MANIFEST)) {
                    return last;
                }
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("not finalized within " + FINALIZE_TIMEOUT + "; last seen: " + last);
    }

    /** The most heap in use the collector saw (before a collection) and the most it kept (after one). */
    private void heap() throws IOException {
        if (options.gcLog() == null || !Files.exists(options.gcLog())) {
            line("heap: (no collector log)");
            return;
        }
        Pattern pause = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
        long before = 0;
        long after = 0;
        long limit = 0;
        int collections = 0;
        for (String text : Files.readAllLines(options.gcLog())) {
            Matcher m = pause.matcher(text);
            if (m.find()) {
                collections++;
                before = Math.max(before, Long.parseLong(m.group(1)));
                after = Math.max(after, Long.parseLong(m.group(2)));
                limit = Math.max(limit, Long.parseLong(m.group(3)));
            }
        }
        line("heap: at most %d MB in use (before a collection), at most %d MB kept (after one), heap size at most %d MB; "
                + "%d collections since the service started", before, after, limit, collections);
    }

    // ------------------------------------------------------------------ pages

    /** Walks every hit in one order, checking each comes once and in order; answers the cursor of every page. */
    private List<String> walk(UUID job, String sort) throws Exception {
        progress("walking all hits by %s, %d a page", sort, WALK_LIMIT);
        String field = SORT_FIELD.get(sort);
        boolean ascending = "evalue".equals(sort);
        List<String> cursors = new ArrayList<>();
        List<Long> nanos = new ArrayList<>();
        String cursor = null;
        long rows = 0;
        long total = -1;
        double previous = ascending ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        do {
            String path = "/api/v1/jobs/" + job + "/results/hits?sort=" + sort + "&limit=" + WALK_LIMIT
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            long start = System.nanoTime();
            HttpResponse<String> response = get(path);
            nanos.add(System.nanoTime() - start);
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
            }
            JsonNode page = Http.JSON.readTree(response.body());
            total = page.path("total").asLong();
            for (JsonNode item : page.path("items")) {
                double value = item.path(field).asDouble();
                if (ascending ? value < previous : value > previous) {
                    throw new IllegalStateException("sort " + sort + " out of order at row " + rows);
                }
                previous = value;
                rows++;
            }
            cursor = page.path("next").isTextual() ? page.path("next").asText() : null;
            if (cursor != null) {
                cursors.add(cursor);
            }
        } while (cursor != null);
        if (rows != total || rows != hits) {
            throw new IllegalStateException("sort " + sort + " gave " + rows + " rows; total says " + total
                    + ", the job has " + hits);
        }
        line("walk by %-8s  %,d rows in %,d pages of %d, in order: %s", sort, rows, nanos.size(), WALK_LIMIT,
                Latencies.of(nanos.stream().mapToLong(Long::longValue).toArray()).format());
        return cursors;
    }

    private void pages(UUID job, Map<String, List<String>> cursors) throws Exception {
        Random random = new Random(7);
        List<String> sorts = List.copyOf(cursors.keySet());
        // a warm-up the figures leave out: the first requests load classes and fill caches
        for (int i = 0; i < 100; i++) {
            page(job, sorts.get(i % sorts.size()), null, null);
        }
        long[] deep = new long[options.pages()];
        for (int i = 0; i < deep.length; i++) {
            String sort = sorts.get(random.nextInt(sorts.size()));
            List<String> at = cursors.get(sort);
            deep[i] = page(job, sort, at.get(random.nextInt(at.size())), null);
        }
        long[] filtered = new long[Math.max(1, options.pages() / 3)];
        for (int i = 0; i < filtered.length; i++) {
            String query = String.format(Locale.ROOT, "Q%05d", 1 + random.nextInt(options.queries()));
            filtered[i] = page(job, sorts.get(random.nextInt(sorts.size())), null, query);
        }
        long[] all = Arrays.copyOf(deep, deep.length + filtered.length);
        System.arraycopy(filtered, 0, all, deep.length, filtered.length);
        line("any depth, any sort      %s", Latencies.of(deep).format());
        line("filtered by one query    %s", Latencies.of(filtered).format());
        line("all pages of %d          %s", PAGE_LIMIT, Latencies.of(all).format());
    }

    private long page(UUID job, String sort, String cursor, String query) throws Exception {
        String path = "/api/v1/jobs/" + job + "/results/hits?sort=" + sort + "&limit=" + PAGE_LIMIT
                + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))
                + (query == null ? "" : "&query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        long start = System.nanoTime();
        HttpResponse<String> response = get(path);
        long took = System.nanoTime() - start;
        if (response.statusCode() != 200 || !response.body().contains("\"items\"")) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return took;
    }

    // ------------------------------------------------------------------ downloads

    private void downloads(UUID job, Path file) throws Exception {
        long size = Files.size(file);
        String path = "/api/v1/jobs/" + job + "/artifacts/hits.tsv";
        try (BareSender bare = new BareSender(file)) {
            for (boolean cold : List.of(true, false)) {
                double[] disk = new double[3];
                double[] http = new double[3];
                double[] loopback = new double[3];
                if (!cold) {
                    readFromDisk(file);   // into the page cache
                }
                for (int round = 0; round < disk.length; round++) {
                    disk[round] = size / seconds(cold, file, () -> readFromDisk(file));
                    http[round] = size / seconds(cold, file, () -> download(options.service(), path, size));
                    loopback[round] = size / seconds(cold, file, () -> download(bare.address(), "/", size));
                }
                double d = median(disk);
                double h = median(http);
                double l = median(loopback);
                line("%-34s disk %s/s, download %s/s: %.0f %% of disk (median of %d rounds each)",
                        cold ? "file out of the page cache (disk):" : "file in the page cache (memory):",
                        size((long) d), size((long) h), 100 * h / d, disk.length);
                line("%-34s bare sendfile over loopback %s/s: the download is %.0f %% of it", "", size((long) l),
                        100 * h / l);
            }
        }
    }

    /** Times one read of the file, first dropping its pages from the page cache when it is to come cold. */
    private static double seconds(boolean cold, Path file, Runnable read) {
        if (cold) {
            try {
                evict(file);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return seconds(read);
    }

    /**
     * The ceiling of any download on this machine: the file sent over loopback by the least a server
     * can do (answer every request with the file through {@code sendfile}, nothing else), read by the
     * same client as the service's download.
     */
    private static final class BareSender implements AutoCloseable {
        private final Path file;
        private final ServerSocketChannel server;
        private final URI address;
        private final Thread thread;

        BareSender(Path file) throws IOException {
            this.file = file;
            this.server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            this.address = URI.create("http://127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort());
            this.thread = Thread.ofPlatform().daemon().name("bare-sender").start(this::serve);
        }

        URI address() {
            return address;
        }

        private void serve() {
            while (server.isOpen()) {
                try (SocketChannel client = server.accept(); FileChannel channel = FileChannel.open(file)) {
                    ByteBuffer request = ByteBuffer.allocate(8192);
                    while (!new String(request.array(), 0, request.position(), StandardCharsets.ISO_8859_1)
                            .contains("\r\n\r\n") && client.read(request) >= 0) {
                        // the request's head; its content does not matter
                    }
                    long size = channel.size();
                    client.write(ByteBuffer.wrap(("HTTP/1.1 200 OK\r\nContent-Length: " + size
                            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
                    for (long sent = 0; sent < size; ) {
                        sent += channel.transferTo(sent, size - sent, client);
                    }
                } catch (IOException e) {
                    // this connection failed: its client sees a short body and says so; serve the next
                }
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(Duration.ofSeconds(5));
        }
    }

    private void exportZip(UUID job) throws Exception {
        String path = "/api/v1/jobs/" + job + "/export";
        long start = System.nanoTime();
        long[] got = rawGet(options.service(), path);
        double seconds = (System.nanoTime() - start) / 1e9;
        line("export zip: %s in %.1f s (%s/s); Content-Length %s", size(got[1]), seconds, size((long) (got[1] / seconds)),
                got[0] < 0 ? "not sent" : got[0] == got[1] ? "sent up front and exact" : "WRONG: " + got[0]);
    }

    /** Drops the file's pages from the page cache, so the next read comes from the disk. */
    private static void evict(Path file) throws Exception {
        Process dd = new ProcessBuilder("dd", "if=" + file, "iflag=nocache", "count=0", "status=none")
                .redirectErrorStream(true).start();
        if (dd.waitFor() != 0) {
            throw new IllegalStateException("dd could not drop the page cache of " + file + ": "
                    + new String(dd.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void readFromDisk(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            while (channel.read(buffer) >= 0) {
                buffer.clear();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void download(URI base, String path, long size) {
        try {
            long[] got = rawGet(base, path);
            if (got[1] != size) {
                throw new IllegalStateException(path + " gave " + got[1] + " bytes, not " + size);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A plain HTTP/1.1 GET read straight off the socket into a direct buffer, as the disk read above
     * reads the file (no client library in the way): answers the Content-Length sent (-1 without
     * one) and the body bytes received.
     */
    private long[] rawGet(URI service, String path) throws IOException {
        try (SocketChannel socket = SocketChannel.open(new InetSocketAddress(service.getHost(), service.getPort()))) {
            socket.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            socket.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: " + service.getHost() + "\r\n"
                    + AegisHeaders.IDENTITY + ": " + options.callers().identity(OWNER) + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            StringBuilder head = new StringBuilder();
            long body = -1;
            int n;
            while ((n = socket.read(buffer)) >= 0) {
                if (body >= 0) {
                    body += n;
                } else {
                    buffer.flip();
                    byte[] bytes = new byte[buffer.remaining()];
                    buffer.get(bytes);
                    head.append(new String(bytes, StandardCharsets.ISO_8859_1));
                    int end = head.indexOf("\r\n\r\n");
                    if (end >= 0) {
                        body = head.length() - end - 4;
                        head.setLength(end);
                    }
                }
                buffer.clear();
            }
            String headers = head.toString();
            if (!headers.startsWith("HTTP/1.1 200")) {
                throw new IllegalStateException(path + " answered " + headers.lines().findFirst().orElse("nothing"));
            }
            if (headers.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                throw new IllegalStateException(path + " came chunked; the benchmark reads plain bodies");
            }
            Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(headers);
            return new long[] {length.find() ? Long.parseLong(length.group(1)) : -1, Math.max(0, body)};
        }
    }

    // ------------------------------------------------------------------ plumbing

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(options.service().resolve(path))
                .header(AegisHeaders.IDENTITY, options.callers().identity(OWNER))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(options.service().resolve(path))
                .header(AegisHeaders.IDENTITY, options.callers().identity(OWNER))
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static KafkaProducer<String, Object> producer(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "aegis-bench-artifacts");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        return new KafkaProducer<>(config, new StringSerializer(), new EventSerializer());
    }

    private static double seconds(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
    }

    private void section(String title) {
        report.append('\n').append(title).append('\n');
    }

    private void line(String format, Object... args) {
        report.append("  ").append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "    " + format + "%n", args);
    }
}
