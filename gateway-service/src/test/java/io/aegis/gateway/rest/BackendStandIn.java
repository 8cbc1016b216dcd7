package io.aegis.gateway.rest;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.testing.TestCallers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Stands in for every service behind the gateway and records what reached it. */
public class BackendStandIn implements QuarkusTestResourceLifecycleManager {

    record Seen(String method, String path, String query, String user, String body, String contentType,
                String lastEventId) {
    }

    static final List<Seen> SEEN = new CopyOnWriteArrayList<>();
    /**
     * Jobs with a UUID and their owners: like job-service, the stand-in shows such a job only to its
     * owner, and answers any other UUID with 404 JOB_NOT_FOUND.
     */
    static final Map<String, String> OWNERS = new ConcurrentHashMap<>();
    private static final Pattern JOB = Pattern.compile("/api/v1/jobs/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");
    /**
     * Jobs a test sets up in full, by id (each with its owner in {@link #OWNERS}): the owner reads the
     * job as given here (any other job of theirs reads as RUNNING), finds them in their history, and
     * retries them as job-service would; their event streams start with them as the snapshot.
     */
    static final Map<String, JsonObject> JOBS = new ConcurrentHashMap<>();
    private static final Pattern JOB_ACTION = Pattern.compile("/api/v1/jobs/([^/]+)/(retry|events)");
    /**
     * Artifacts a test lists for a job set up in {@link #JOBS}, by id: the owner reads the list and
     * downloads them as from artifact-service ({@link #artifact}); anyone else gets 404.
     */
    static final Map<String, JsonArray> ARTIFACTS = new ConcurrentHashMap<>();
    private static final Pattern ARTIFACT_OF = Pattern.compile("/api/v1/jobs/([^/]+)/artifacts(?:/([^/]+)(/build)?)?");
    /** What the stand-in's hits.xml holds. */
    static final byte[] XML = "<?xml version=\"1.0\"?>\n<BlastOutput><BlastOutput_program>blastp</BlastOutput_program></BlastOutput>\n".getBytes();
    static final byte[] HITS = "q1\ts1\t99.0\t50\nq2\ts9\t42.0\t12\n".getBytes();
    /** What the stand-in's export answers: any bytes, of a length it announces. */
    static final byte[] EXPORT = "PK\u0005\u0006 an export of a known length".getBytes();
    /** The largest registration the stand-in takes, as the worker's upload limit. */
    static final long MAX_UPLOAD = 32L * 1024 * 1024;
    /** The store usage artifact-service reports per user (0 for anyone not named). */
    static final Map<String, Long> USAGE = new ConcurrentHashMap<>();
    private static final String PIPELINES = io.aegis.pipelines.Pipelines.load(java.util.Optional.empty()).toJson();
    /** Whether a database was registered: the catalog then lists it. */
    static volatile boolean registered;
    /** Set, the stand-in closes the connection of the next request it gets without answering it. */
    static final AtomicBoolean DROP_NEXT = new AtomicBoolean();
    /** The stand-in's event streams hold their last event until a test releases them (30 s at most). */
    static volatile CompletableFuture<Void> lastEvent = new CompletableFuture<>();
    /** How each event stream reached the stand-in: the protocol and the connection it came on. */
    static final List<StreamSeen> STREAMS = new CopyOnWriteArrayList<>();

    record StreamSeen(HttpVersion version, HttpConnection connection) {
    }

    private static final Set<String> FINISHED = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    private static final Set<String> RETRYABLE = Set.of("FAILED", "CANCELLED");

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server;
        try {
            server = vertx.createHttpServer().requestHandler(request -> {
                if (refusesAtOnce(request)) {
                    return;
                }
                if (DROP_NEXT.compareAndSet(true, false)) {
                    request.connection().close();
                    return;
                }
                if (request.path().equals("/api/v1/usage")) {
                    // asked with every submit and by /me: answered, not recorded
                    String user = TestCallers.user(request.getHeader(AegisHeaders.IDENTITY));
                    request.response().putHeader("Content-Type", "application/json").end("{\"user\":\"" + user
                            + "\",\"storeBytes\":" + USAGE.getOrDefault(user, 0L) + ",\"jobs\":1}");
                    return;
                }
                request.body().onSuccess(body -> {
                    SEEN.add(new Seen(request.method().name(), request.path(), request.query(), TestCallers.user(request.getHeader(AegisHeaders.IDENTITY)),
                            body.toString(), request.getHeader("Content-Type"), request.getHeader("Last-Event-ID")));
                    var response = request.response();
                    String path = request.path();
                    String caller = TestCallers.user(request.getHeader(AegisHeaders.IDENTITY));
                    Matcher job = JOB.matcher(path);
                    Matcher action = JOB_ACTION.matcher(path);
                    JsonObject setUp = action.matches() ? JOBS.get(action.group(1)) : null;
                    Matcher chunk = LOG_CHUNK.matcher(path);
                    if (chunk.matches() && LOG_CHUNKS.containsKey(chunk.group(1))) {
                        if (caller == null || !caller.equals(OWNERS.get(chunk.group(1)))) {
                            notFound(response, chunk.group(1));
                        } else {
                            // as artifact-service serves a log chunk: the gzip file as it is
                            response.putHeader("Content-Type", "application/gzip").end(Buffer.buffer(LOG_CHUNKS.get(chunk.group(1))));
                        }
                        return;
                    }
                    Matcher liveAction = LIVE_ACTION.matcher(path);
                    if (liveAction.matches() && LIVE.containsKey(liveAction.group(1))) {
                        String id = liveAction.group(1);
                        if (liveAction.group(2).equals("events")) {
                            LIVE.get(id).serve(vertx, request, JOBS.get(id));
                        } else if (caller == null || !caller.equals(OWNERS.get(id))) {
                            notFound(response, id);
                        } else {
                            // answered only once the job's end is on its stream, as under load it can be
                            JsonObject answer = LIVE.get(id).cancel(id);
                            vertx.setTimer(300, timer -> response.setStatusCode(202)
                                    .putHeader("Content-Type", "application/json").end(answer.encode()));
                        }
                        return;
                    }
                    Matcher resultsOf = RESULTS_OF.matcher(path);
                    if (resultsOf.matches() && RESULTS.containsKey(resultsOf.group(1))) {
                        if (caller == null || !caller.equals(OWNERS.get(resultsOf.group(1)))) {
                            notFound(response, resultsOf.group(1));
                        } else {
                            results(request, RESULTS.get(resultsOf.group(1)), resultsOf.group(2), resultsOf.group(3));
                        }
                        return;
                    }
                    Matcher artifactOf = ARTIFACT_OF.matcher(path);
                    if (artifactOf.matches() && ARTIFACTS.containsKey(artifactOf.group(1))) {
                        String id = artifactOf.group(1);
                        if (caller == null || !caller.equals(OWNERS.get(id))) {
                            notFound(response, id);
                        } else if (artifactOf.group(2) == null) {
                            response.putHeader("Content-Type", "application/json")
                                    .end(new JsonObject().put("jobId", id).put("items", ARTIFACTS.get(id)).encode());
                        } else if (artifactOf.group(3) != null) {
                            build(request, ARTIFACTS.get(id), artifactOf.group(2));
                        } else {
                            artifact(request, id, ARTIFACTS.get(id), artifactOf.group(2));
                        }
                        return;
                    }
                    Matcher steps = STEPS_OF.matcher(path);
                    if (steps.matches() && JOBS.containsKey(steps.group(1))) {
                        // as job-service answers a job's execution steps: the set-up job's own
                        String id = steps.group(1);
                        if (caller == null || !caller.equals(OWNERS.get(id))) {
                            notFound(response, id);
                        } else {
                            response.putHeader("Content-Type", "application/json").end(new JsonObject().put("jobId", id)
                                    .put("steps", JOBS.get(id).getJsonArray("steps", new JsonArray())).encode());
                        }
                        return;
                    }
                    if (job.matches() && request.method().name().equals("GET")) {
                        String id = job.group(1);
                        if (caller != null && caller.equals(OWNERS.get(id))) {
                            response.putHeader("Content-Type", "application/json").end(JOBS.containsKey(id)
                                    ? JOBS.get(id).encode() : "{\"id\":\"" + id + "\",\"status\":\"RUNNING\"}");
                        } else {
                            notFound(response, id);
                        }
                    } else if (setUp != null && action.group(2).equals("retry") && request.method().name().equals("POST")) {
                        String id = action.group(1);
                        if (caller == null || !caller.equals(OWNERS.get(id))) {
                            notFound(response, id);
                        } else if (RETRYABLE.contains(setUp.getString("status"))) {
                            JsonObject next = retried(setUp);
                            JOBS.put(id, next);
                            response.setStatusCode(202).putHeader("Content-Type", "application/json").end(next.encode());
                        } else {
                            response.setStatusCode(409).putHeader("Content-Type", "application/problem+json")
                                    .end("{\"title\":\"Job cannot be retried\",\"status\":409,\"detail\":\"Job " + id + " is "
                                            + setUp.getString("status").toLowerCase(Locale.ROOT) + ".\",\"code\":\"JOB_NOT_RETRYABLE\","
                                            + "\"jobStatus\":\"" + setUp.getString("status") + "\"}");
                        }
                    } else if (setUp != null && action.group(2).equals("events")) {
                        // as log-stream-service streams it: the job as the snapshot, then, for a job that
                        // ended, its terminal event; an unfinished one's stream stays open
                        response.setChunked(true).putHeader("Content-Type", "text/event-stream");
                        response.write("id: 1\nevent: snapshot\ndata: " + setUp.encode() + "\n\n");
                        String status = setUp.getString("status");
                        if (FINISHED.contains(status)) {
                            response.end("id: 2\nevent: " + status.toLowerCase(Locale.ROOT) + "\ndata: " + setUp.encode() + "\n\n");
                        }
                    } else if (path.equals("/api/v1/databases") && request.method().name().equals("POST")) {
                        registered = true;
                        response.setStatusCode(202).putHeader("Content-Type", "application/json")
                                .putHeader("Location", "/api/v1/databases/fresh")
                                .end("{\"name\":\"fresh\",\"state\":\"building\",\"type\":\"protein\"}");
                    } else if (path.equals("/api/v1/databases")) {
                        // demo is ready, growing still building (so never known to the catalog), fresh once registered
                        response.putHeader("Content-Type", "application/json")
                                .end("[{\"name\":\"demo\",\"type\":\"protein\",\"sequences\":3,\"version\":\"v1\",\"state\":\"ready\"}"
                                        + ",{\"name\":\"growing\",\"type\":\"protein\",\"state\":\"building\"}"
                                        + (registered ? ",{\"name\":\"fresh\",\"type\":\"protein\",\"version\":\"f1\",\"state\":\"ready\"}" : "")
                                        + "]");
                    } else if (path.equals("/api/v1/pipelines")) {
                        // as pipeline-worker serves the catalog: the built-in definitions
                        response.putHeader("Content-Type", "application/json").end(PIPELINES);
                    } else if (path.startsWith("/api/v1/databases/")) {
                        response.putHeader("Content-Type", "application/json").end("{\"name\":\"fresh\",\"state\":\"ready\"}");
                    } else if (path.equals("/api/v1/jobs") && request.method().name().equals("POST")) {
                        response.setStatusCode(202).putHeader("Content-Type", "application/json")
                                .putHeader("Location", "http://10.0.0.7:8081/api/v1/jobs/j1").end("{\"id\":\"j1\",\"status\":\"QUEUED\"}");
                    } else if (path.equals("/api/v1/jobs")) {
                        // as job-service pages a history: newest first, limit at a time, the cursor here an offset
                        List<JsonObject> mine = JOBS.entrySet().stream()
                                .filter(setUpJob -> caller != null && caller.equals(OWNERS.get(setUpJob.getKey())))
                                .map(Map.Entry::getValue)
                                .sorted(java.util.Comparator.comparing((JsonObject j) -> j.getString("createdAt", "")).reversed()).toList();
                        int limit = Integer.parseInt(request.getParam("limit", "20"));
                        int from = Integer.parseInt(request.getParam("cursor", "0"));
                        JsonArray owned = new JsonArray(mine.subList(Math.min(from, mine.size()), Math.min(from + limit, mine.size())));
                        response.putHeader("Content-Type", "application/json")
                                .end(mine.isEmpty() ? "{\"items\":[{\"id\":\"j1\"}],\"nextCursor\":null}"
                                        : new JsonObject().put("items", owned)
                                                .put("nextCursor", from + limit < mine.size() ? Integer.toString(from + limit) : null).encode());
                    } else if (path.endsWith("/cancel") && request.method().name().equals("POST")) {
                        response.setStatusCode(202).putHeader("Content-Type", "application/json")
                                .end("{\"id\":\"j1\",\"status\":\"CANCELLING\"}");
                    } else if (path.endsWith("/retry") && request.method().name().equals("POST")) {
                        response.setStatusCode(202).putHeader("Content-Type", "application/json")
                                .end("{\"id\":\"j1\",\"status\":\"QUEUED\",\"attempt\":2}");
                    } else if (path.endsWith("/events")) {
                        STREAMS.add(new StreamSeen(request.version(), request.connection()));
                        response.setChunked(true).putHeader("Content-Type", "text/event-stream");
                        response.write("id: 1\nevent: snapshot\ndata: {}\n\n");
                        lastEvent.completeOnTimeout(null, 30, TimeUnit.SECONDS)
                                .thenRun(() -> response.end("id: 2\nevent: succeeded\ndata: {}\n\n"));
                    } else if (path.endsWith("/artifacts/hits.tsv")) {
                        response.putHeader("Content-Type", "text/tab-separated-values")
                                .putHeader("Content-Disposition", "attachment; filename=\"hits.tsv\"")
                                .end(Buffer.buffer(HITS));
                    } else if (path.endsWith("/results/hits") && "cursor=stale".equals(request.query())) {
                        response.setStatusCode(400).putHeader("Content-Type", "application/problem+json")
                                .end("{\"status\":400,\"code\":\"INVALID_CURSOR\"}");
                    } else if (path.endsWith("/results/hits")) {
                        response.putHeader("Content-Type", "application/json")
                                .end("{\"sort\":\"bitscore\",\"total\":2,\"items\":[{\"qseqid\":\"q1\"}],\"next\":\"c2\"}");
                    } else if (path.endsWith("/results/summary")) {
                        response.setStatusCode(409).putHeader("Content-Type", "application/problem+json")
                                .end("{\"status\":409,\"code\":\"RESULTS_NOT_READY\"}");
                    } else if (path.endsWith("/export")) {
                        response.putHeader("Content-Type", "application/zip")
                                .putHeader("Content-Disposition", "attachment; filename=\"aegis-j1.zip\"")
                                .putHeader("Content-Length", Integer.toString(EXPORT.length))
                                .end(Buffer.buffer(EXPORT));
                    } else if (path.startsWith("/api/v1/jobs/")) {
                        response.putHeader("Content-Type", "application/json").end("{\"id\":\"j1\",\"status\":\"RUNNING\"}");
                    } else {
                        response.setStatusCode(404).end();
                    }
                });
            }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String url = "http://127.0.0.1:" + server.actualPort();
        return Map.of("aegis.services.job", url, "aegis.services.worker", url, "aegis.services.artifact", url,
                "aegis.services.log-stream", url);
    }

    /**
     * Jobs whose event stream a test writes as the job goes, by id (each also in {@link #JOBS}, whose
     * entry is the snapshot, and in {@link #OWNERS}): their streams and cancels are answered by
     * {@link LiveStream}.
     */
    static final Map<String, LiveStream> LIVE = new ConcurrentHashMap<>();
    /** A job's first log chunk ({@code log-0001.txt.gz}, gzip bytes), by job id, served to its owner. */
    static final Map<String, byte[]> LOG_CHUNKS = new ConcurrentHashMap<>();
    private static final Pattern LOG_CHUNK = Pattern.compile("/api/v1/jobs/([^/]+)/artifacts/log-0001\\.txt\\.gz");
    private static final Pattern STEPS_OF = Pattern.compile("/api/v1/jobs/([^/]+)/execution-steps");
    private static final Pattern LIVE_ACTION = Pattern.compile("/api/v1/jobs/([^/]+)/(events|cancel)");

    /**
     * A running job's events as log-stream-service streams them: ids {@code <epoch>-<n>}, n counting
     * the job's events from 1; a stream starts with the snapshot, replays the events after its
     * {@code lastEventId} (or {@code Last-Event-ID}), then follows the new ones until the terminal
     * event, and a stream that resumes gets none twice. A cancel ends the job as the worker and
     * job-service do: its step fails with "Cancelled", then the job is cancelled.
     */
    static final class LiveStream {

        static final long EPOCH = 1764670502417L;
        private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");

        /** The events so far, each {@code event: …\ndata: …}; event n is at n - 1. */
        private final List<String> events = new CopyOnWriteArrayList<>();

        /** Log line {@code seq} of the job (source blastp, step search) and its progress after it. */
        void log(String job, int seq, String line, int total) {
            add("log", new JsonObject().put("jobId", job).put("attempt", 1).put("seq", seq).put("step", "search")
                    .put("stream", "STDERR").put("source", "blastp").put("line", line));
            add("progress", new JsonObject().put("jobId", job).put("attempt", 1).put("step", "search")
                    .put("done", seq).put("total", total));
        }

        /** The job's end: {@link #JOBS} reads it from now on, and the stream ends with it. */
        void end(String job, String status) {
            JsonObject ended = JOBS.get(job).copy().put("status", status);
            JOBS.put(job, ended);
            add(status.toLowerCase(Locale.ROOT), ended);
        }

        synchronized void add(String type, JsonObject data) {
            events.add("event: " + type + "\ndata: " + data.encode());
        }

        int size() {
            return events.size();
        }

        JsonObject cancel(String job) {
            add("step", new JsonObject().put("jobId", job).put("step", "search").put("stepStatus", "FAILED")
                    .put("error", "Cancelled"));
            end(job, "CANCELLED");
            return JOBS.get(job).copy().put("status", "CANCELLING");
        }

        void serve(Vertx vertx, HttpServerRequest request, JsonObject snapshot) {
            String cursor = request.getParam("lastEventId") != null ? request.getParam("lastEventId") : request.getHeader("Last-Event-ID");
            int[] next = {1 + shown(cursor)};
            HttpServerResponse response = request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
            response.write("id: " + (cursor == null ? "0-0" : cursor) + "\nevent: snapshot\ndata: " + snapshot.encode() + "\n\n");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            vertx.setPeriodic(50, timer -> {
                if (response.closed() || response.ended() || System.nanoTime() > until) {
                    vertx.cancelTimer(timer);
                    return;
                }
                while (next[0] <= events.size()) {
                    String event = events.get(next[0] - 1);
                    response.write("id: " + EPOCH + "-" + next[0]++ + "\n" + event + "\n\n");
                    if (TERMINAL.contains(event.substring("event: ".length(), event.indexOf('\n')))) {
                        response.end();
                        vertx.cancelTimer(timer);
                        return;
                    }
                }
            });
        }

        /** How many events a cursor of this stream has seen (none for no cursor, or one of another epoch). */
        private static int shown(String cursor) {
            return cursor != null && cursor.startsWith(EPOCH + "-") ? Integer.parseInt(cursor.substring(cursor.indexOf('-') + 1)) : 0;
        }
    }

    /**
     * Results a test sets up for a job in {@link #JOBS}, by id: {@code summary} (as artifact-service's
     * summary.json) and {@code hits} (each a hit with its {@code ord}), served to the owner by {@link #results}.
     */
    static final Map<String, JsonObject> RESULTS = new ConcurrentHashMap<>();
    private static final Pattern RESULTS_OF = Pattern.compile("/api/v1/jobs/([^/]+)/results/(summary|hits(?:/(\\d+)/alignment)?)");

    /**
     * A job's results as artifact-service serves them: the summary; a page of hits sorted by
     * {@code sort} (evalue ascending, bitscore or identity descending), of one {@code query} when
     * given, {@code limit} at a time, {@code cursor} the offset of the next page; one hit's alignment
     * as text.
     */
    private static void results(HttpServerRequest request, JsonObject results, String what, String ord) {
        HttpServerResponse response = request.response();
        List<JsonObject> hits = results.getJsonArray("hits").stream().map(JsonObject.class::cast).toList();
        if (what.equals("summary")) {
            response.putHeader("Content-Type", "application/json").end(results.getJsonObject("summary").encode());
        } else if (ord != null) {
            JsonObject hit = hits.stream().filter(h -> h.getLong("ord") == Long.parseLong(ord)).findFirst().orElse(null);
            if (hit == null) {
                response.setStatusCode(404).putHeader("Content-Type", "application/problem+json")
                        .end("{\"status\":404,\"code\":\"HIT_NOT_FOUND\"}");
            } else {
                response.putHeader("Content-Type", "text/plain; charset=utf-8").end(alignment(hit));
            }
        } else {
            String sort = request.getParam("sort", "evalue");
            String query = request.getParam("query");
            int limit = Integer.parseInt(request.getParam("limit", "50"));
            int from = Integer.parseInt(request.getParam("cursor", "0"));
            java.util.Comparator<JsonObject> order = switch (sort) {
                case "bitscore" -> java.util.Comparator.comparingDouble((JsonObject h) -> h.getDouble("bitscore")).reversed();
                case "identity" -> java.util.Comparator.comparingDouble((JsonObject h) -> h.getDouble("pident")).reversed();
                default -> java.util.Comparator.comparingDouble((JsonObject h) -> h.getDouble("evalue"));
            };
            List<JsonObject> chosen = hits.stream().filter(h -> query == null || query.equals(h.getString("qseqid")))
                    .sorted(order.thenComparingLong(h -> h.getLong("ord"))).toList();
            List<JsonObject> page = chosen.subList(Math.min(from, chosen.size()), Math.min(from + limit, chosen.size()));
            JsonObject answer = new JsonObject().put("sort", sort).put("total", chosen.size())
                    .put("columns", new JsonArray(List.copyOf(hits.getFirst().fieldNames()).stream().filter(c -> !c.equals("ord")).toList()))
                    .put("items", new JsonArray(page)).put("query", query)
                    .put("next", from + limit < chosen.size() ? Integer.toString(from + limit) : null);
            response.putHeader("Content-Type", "application/json").end(answer.encode());
        }
    }

    /** A hit's alignment as the stand-in draws it: its query and subject, their ranges, and a line of bars. */
    static String alignment(JsonObject hit) {
        return "Query= " + hit.getString("qseqid") + "\n>" + hit.getString("sseqid") + "\n Score = " + hit.getValue("bitscore")
                + " bits, Expect = " + hit.getValue("evalue") + "\nQuery  " + hit.getValue("qstart") + "  MKTAYIAKQR  "
                + hit.getValue("qend") + "\n       ||||||||||\nSbjct  1  MKTAYIAKQR  10\n";
    }

    /**
     * One artifact of a job's list, as artifact-service answers it: a ready one's bytes (those a test set in
     * {@link #FILES}, else {@link #XML} for {@code hits.xml}, {@link #content} for any other), a byte range of them when asked; one of
     * BLAST's formats made on request ({@code state: on_request}) is started by the first GET and
     * answered {@code 202} with {@code Retry-After} while it is {@code pending}, until a test ends it
     * ({@link #made}); a failed one is a 409 problem.
     */
    private static void artifact(HttpServerRequest request, String id, JsonArray items, String name) {
        HttpServerResponse response = request.response();
        JsonObject item = items.stream().map(JsonObject.class::cast).filter(i -> name.equals(i.getString("name")))
                .findFirst().orElse(null);
        String state = item == null ? null : item.getString("state");
        if (item == null) {
            response.setStatusCode(404).putHeader("Content-Type", "application/problem+json")
                    .end("{\"status\":404,\"code\":\"ARTIFACT_NOT_FOUND\"}");
        } else if ("on_request".equals(state) || "pending".equals(state)) {
            item.put("state", "pending");
            response.setStatusCode(202).putHeader("Content-Type", "application/json").putHeader("Retry-After", "1")
                    .end(new JsonObject().put("name", name).put("state", "pending").encode());
        } else if (!"ready".equals(state)) {
            response.setStatusCode(409).putHeader("Content-Type", "application/problem+json")
                    .end("{\"status\":409,\"code\":\"ARTIFACT_NOT_READY\",\"detail\":\"The artifact is " + state + ".\"}");
        } else {
            byte[] bytes = FILES.getOrDefault(id + "/" + name, name.equals("hits.xml") ? XML : content(name));
            response.putHeader("Content-Type", name.endsWith(".xml") ? "application/xml" : "application/octet-stream")
                    .putHeader("Content-Disposition", "attachment; filename=\"" + name + "\"")
                    .putHeader("Accept-Ranges", "bytes");
            Matcher range = RANGE.matcher(String.valueOf(request.getHeader("Range")));
            if (range.matches() && Integer.parseInt(range.group(1)) < bytes.length) {
                int from = Integer.parseInt(range.group(1));
                int to = range.group(2).isEmpty() ? bytes.length - 1 : Math.min(Integer.parseInt(range.group(2)), bytes.length - 1);
                response.setStatusCode(206).putHeader("Content-Range", "bytes " + from + "-" + to + "/" + bytes.length)
                        .end(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, from, to + 1)));
            } else {
                response.end(Buffer.buffer(bytes));
            }
        }
    }

    /**
     * Asking for an artifact ({@code POST …/artifacts/{name}/build}) as artifact-service answers it: one
     * made on request turns {@code pending}, answered {@code 202} with {@code Retry-After} while it is; any
     * other is answered as it stands ({@code 200}).
     */
    private static void build(HttpServerRequest request, JsonArray items, String name) {
        HttpServerResponse response = request.response();
        JsonObject item = items.stream().map(JsonObject.class::cast).filter(i -> name.equals(i.getString("name")))
                .findFirst().orElse(null);
        if (item == null || !request.method().name().equals("POST")) {
            response.setStatusCode(404).putHeader("Content-Type", "application/problem+json")
                    .end("{\"status\":404,\"code\":\"ARTIFACT_NOT_FOUND\"}");
            return;
        }
        if ("on_request".equals(item.getString("state"))) {
            item.put("state", "pending");
        }
        boolean making = "pending".equals(item.getString("state"));
        if (making) {
            response.setStatusCode(202).putHeader("Retry-After", "1");
        }
        response.putHeader("Content-Type", "application/json").end(item.encode());
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    /** The bytes a test sets for a ready artifact of a job, by {@code <job>/<name>} (e.g. its input.fasta). */
    static final Map<String, byte[]> FILES = new ConcurrentHashMap<>();

    /** What the stand-in serves as a ready artifact other than hits.xml. */
    static byte[] content(String name) {
        return ("the bytes of " + name + "\n").getBytes();
    }

    /** Ends the making of a job's artifact made on request: ready (with its size) or, given an error, failed. */
    static void made(String job, String name, String error) {
        ARTIFACTS.get(job).stream().map(JsonObject.class::cast).filter(i -> name.equals(i.getString("name"))).forEach(item -> {
            if (error == null) {
                item.put("state", "ready").put("size", name.equals("hits.xml") ? XML.length : content(name).length);
            } else {
                item.put("state", "failed").put("error", error);
            }
        });
    }

    private static void notFound(HttpServerResponse response, String id) {
        response.setStatusCode(404).putHeader("Content-Type", "application/problem+json")
                .end("{\"type\":\"urn:aegis:problem:job-not-found\",\"title\":\"Job not found\",\"status\":404,"
                        + "\"detail\":\"There is no job " + id + ".\",\"code\":\"JOB_NOT_FOUND\"}");
    }

    /**
     * The job's next attempt, as job-service's retry makes it: queued, without the error, and the
     * attempt it replaces kept last in {@code earlierAttempts}.
     */
    static JsonObject retried(JsonObject job) {
        JsonArray earlier = job.getJsonArray("earlierAttempts", new JsonArray()).copy()
                .add(new JsonObject().put("attempt", job.getInteger("attempt")).put("status", job.getString("status"))
                        .put("error", job.getString("error")).put("errorCode", job.getString("errorCode"))
                        .put("worker", job.getString("worker")).put("startedAt", job.getString("startedAt"))
                        .put("finishedAt", job.getString("finishedAt")).put("endedBy", "retried"));
        return job.copy().put("status", "QUEUED").put("attempt", job.getInteger("attempt") + 1).putNull("error")
                .putNull("errorCode").putNull("worker").putNull("startedAt").putNull("finishedAt")
                .put("earlierAttempts", earlier);
    }

    /** Like the worker, refuses a registration whose declared length is over its limit before reading it. */
    private static boolean refusesAtOnce(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        if (!request.path().equals("/api/v1/databases") || length == null || Long.parseLong(length) <= MAX_UPLOAD) {
            return false;
        }
        SEEN.add(new Seen(request.method().name(), request.path(), request.query(), TestCallers.user(request.getHeader(AegisHeaders.IDENTITY)),
                "(refused unread)", request.getHeader("Content-Type"), null));
        request.response().setStatusCode(413).putHeader("Content-Type", "application/problem+json")
                .putHeader("Connection", "close").end("{\"status\":413,\"code\":\"INPUT_TOO_LARGE\"}");
        return true;
    }

    @Override
    public void stop() {
        vertx.close();
    }
}
