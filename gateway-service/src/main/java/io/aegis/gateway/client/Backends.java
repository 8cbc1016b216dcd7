package io.aegis.gateway.client;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.events.EventJson;
import io.aegis.gateway.service.Identity;
import io.aegis.web.RouteProblems;
import io.aegis.web.identity.InternalKey;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * HTTP to the services behind the gateway, on behalf of an authenticated user (or, for an event
 * stream, of a stream ticket's holder, whom log-stream-service identifies by the ticket). Request
 * bodies and responses are piped through as they arrive: nothing is buffered, so uploads, event
 * streams and downloads flow.
 *
 * <p>Requests and downloads take a connection from a pool of {@value #POOL} per service, each
 * connection carrying one request at a time: they are short, and a full pool makes the next one wait
 * an instant. An event stream is not short: it holds its request for as long as the job runs, so
 * streams on that pool would leave the 65th viewer waiting for another's job to end. Streams go to
 * log-stream-service over HTTP/2 instead, many multiplexed on each connection (see {@link #streamOptions}).
 */
@ApplicationScoped
public class Backends {

    /** Request headers a backend may need from the client. */
    private static final List<String> REQUEST_HEADERS =
            List.of("Accept", "Accept-Encoding", "Range", "If-Range", "If-None-Match", "Last-Event-ID");
    /** Headers that describe a request body, passed on with it. */
    private static final List<String> BODY_HEADERS = List.of("Content-Type", "Content-Length");
    /** Response headers the client may need from a backend. */
    private static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "Content-Length", "Content-Range",
            "Content-Disposition", "Content-Encoding", "Accept-Ranges", "ETag", "Last-Modified", "Cache-Control",
            "Location", "Retry-After", "X-Content-Type-Options", "Vary");

    /** A small answer, read whole, with the headers a caller passes on. */
    public record Answer(int status, String contentType, String location, String retryAfter, Buffer body) {

        static Future<Answer> of(HttpClientResponse response) {
            return response.body().map(bytes -> new Answer(response.statusCode(), response.getHeader("Content-Type"),
                    response.getHeader("Location"), response.getHeader("Retry-After"), bytes));
        }
    }

    /** Connections to each service for requests, one request at a time on each. */
    static final int POOL = 64;

    /** Streams multiplexed on one HTTP/2 connection to log-stream-service, at most (it allows 1,000). */
    static final int STREAMS_PER_CONNECTION = 500;
    /** HTTP/2 connections to log-stream-service, at most, per gateway replica. */
    static final int STREAM_CONNECTIONS = 100;
    /** What one stream may hold that its viewer has not taken yet, in bytes. */
    static final int STREAM_WINDOW = 32 * 1024;
    /** How long a proxied request may wait for a connection to its service before it is refused (503). */
    static final Duration CONNECTION_WAIT = Duration.ofSeconds(5);

    /**
     * Event streams to log-stream-service: HTTP/2 without TLS, spoken from the first byte (the service
     * takes it on its HTTP port), {@value #STREAMS_PER_CONNECTION} streams on a connection and up to
     * {@value #STREAM_CONNECTIONS} connections: 50,000 streams per gateway replica, beyond what one
     * replica serves (each stream's viewer holds a connection to the gateway). Past that a stream waits
     * at most {@link #CONNECTION_WAIT} for another to end, then is refused; it never queues for long
     * behind streams that may last an hour.
     *
     * <p>Flow control per stream, not per connection: each stream may hold {@value #STREAM_WINDOW}
     * bytes its viewer has not taken yet (a slow browser pauses its own stream and no other), and the
     * connection's window covers all its streams' at once, so one stalled viewer never holds up the
     * events of another on the same connection.
     */
    static HttpClientOptions streamOptions() {
        return new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
                .setHttp2MultiplexingLimit(STREAMS_PER_CONNECTION)
                .setInitialSettings(new Http2Settings().setInitialWindowSize(STREAM_WINDOW))
                .setHttp2ConnectionWindowSize(STREAMS_PER_CONNECTION * STREAM_WINDOW)
                .setConnectTimeout(2000).setIdleTimeout(0).setDecompressionSupported(false);
    }

    private final HttpClient http;
    private final HttpClient streams;
    private final InternalKey key;

    public Backends(Vertx vertx, InternalKey key) {
        this.key = key;
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2000).setIdleTimeout(0)
                .setDecompressionSupported(false), new PoolOptions().setHttp1MaxSize(POOL));
        this.streams = vertx.createHttpClient(streamOptions(), new PoolOptions().setHttp2MaxSize(STREAM_CONNECTIONS));
    }

    @PreDestroy
    void close() {
        http.close();
        streams.close();
    }

    /**
     * Forwards the current request to {@code base + path} and pipes the answer back to the client.
     * The backend hears the user in a signed {@link AegisHeaders#IDENTITY}, and no header a client sent
     * under that name; with {@code user} null (an event stream opened with a ticket) the identity names
     * no user.
     */
    public void proxy(RoutingContext context, URI base, String path, String user) {
        proxy(context, base, path, user, status -> { });
    }

    /**
     * Forwards the current request, its body streamed as it arrives (never held whole), and pipes
     * the answer back; {@code onAnswer} hears the backend's status first.
     */
    public void proxy(RoutingContext context, URI base, String path, String user, IntConsumer onAnswer) {
        forward(http, context, base, path, user, onAnswer, true);
    }

    /** Forwards an event stream's request to log-stream-service, over HTTP/2 ({@link #streamOptions}). */
    public void stream(RoutingContext context, URI base, String path, String user) {
        forward(streams, context, base, path, user, status -> { }, true);
    }

    /**
     * One try at forwarding. A request without a body that is safe to repeat (GET, HEAD) is tried once
     * more when its connection fails before any answer: a pooled connection the backend has just
     * closed is not the backend being away.
     */
    private void forward(HttpClient client, RoutingContext context, URI base, String path, String user,
            IntConsumer onAnswer, boolean mayRetry) {
        HttpServerRequest incoming = context.request();
        HttpServerResponse response = context.response();
        boolean body = hasBody(incoming);
        boolean repeatable = mayRetry && !body && isSafe(incoming.method());
        if (body) {
            // nothing may be read before the backend request is there to take it
            incoming.pause();
        }
        RequestOptions options = new RequestOptions().setMethod(incoming.method())
                .setHost(base.getHost()).setPort(base.getPort()).setURI(path)
                .setConnectTimeout(CONNECTION_WAIT.toMillis());
        client.request(options).onSuccess(request -> {
            REQUEST_HEADERS.forEach(h -> {
                String value = incoming.getHeader(h);
                if (value != null) {
                    request.putHeader(h, value);
                }
            });
            request.putHeader(AegisHeaders.IDENTITY,
                    user == null ? key.forNobody() : key.forUser(user, Identity.isAdmin(context)));
            // the client's connection outlives this answer (keep-alive): once the answer has ended, its
            // closing must not reset a backend connection that may by then carry another request
            response.closeHandler(closed -> {
                if (!response.ended()) {
                    request.reset();
                }
            });
            Future<HttpClientResponse> sent;
            if (body) {
                BODY_HEADERS.forEach(h -> {
                    String value = incoming.getHeader(h);
                    if (value != null) {
                        request.putHeader(h, value);
                    }
                });
                // a backend may answer before it has read the whole body (one too large, say): the
                // connection is then in no state to carry another request, so a body has one of its own
                request.putHeader("Connection", "close");
                sent = request.send(incoming);
            } else {
                sent = request.send();
            }
            sent.onSuccess(answer -> {
                onAnswer.accept(answer.statusCode());
                if (body && !incoming.isEnded() && incoming.version() != HttpVersion.HTTP_2) {
                    // answered before the whole body was sent (e.g. too large): the rest is not read
                    response.putHeader("Connection", "close");
                }
                relay(answer, response);
            }).onFailure(failure -> {
                if (repeatable && !response.closed() && !response.headWritten()) {
                    Log.debugf("Backend %s closed a connection before answering (%s); trying once more", base,
                            failure.getMessage());
                    forward(client, context, base, path, user, onAnswer, false);
                } else {
                    unavailable(response, base, failure);
                }
            });
        }).onFailure(failure -> unavailable(response, base, failure));
    }

    private static boolean isSafe(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD;
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        return request.getHeader("Transfer-Encoding") != null || length != null && !length.strip().equals("0");
    }

    private static void relay(HttpClientResponse answer, HttpServerResponse response) {
        response.setStatusCode(answer.statusCode());
        RESPONSE_HEADERS.forEach(h -> {
            String value = answer.getHeader(h);
            if (value != null) {
                response.putHeader(h, value);
            }
        });
        if (answer.getHeader("Content-Length") == null) {
            response.setChunked(true);
        }
        String type = answer.getHeader("Content-Type");
        if (type != null && type.startsWith("text/event-stream")) {
            response.putHeader("X-Accel-Buffering", "no");
        }
        answer.pipeTo(response);
    }

    /**
     * Sends a JSON body and answers with the whole (small) response. The body is encoded on the
     * calling thread, not on the event loop that sends it: a job's is as large as its FASTA.
     */
    public Uni<Answer> postJson(URI base, String path, String user, Object body) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setHost(base.getHost()).setPort(base.getPort()).setURI(path)
                .putHeader("Content-Type", "application/json").putHeader(AegisHeaders.IDENTITY, key.forUser(user));
        Buffer json = Buffer.buffer(EventJson.encode(body));
        return Uni.createFrom().completionStage(() -> http.request(options)
                .compose(request -> request.send(json))
                .compose(Answer::of)
                .toCompletionStage());
    }

    /**
     * Streams what a GET of {@code path} answers, as the user, to {@code response}, whatever the method of
     * the request being answered (qblast asks for its results with a POST), piped as it arrives.
     */
    public void download(HttpServerResponse response, URI base, String path, String user) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
                .setHost(base.getHost()).setPort(base.getPort()).setURI(path)
                .setConnectTimeout(CONNECTION_WAIT.toMillis()).putHeader(AegisHeaders.IDENTITY, key.forUser(user));
        http.request(options).compose(request -> {
            response.closeHandler(closed -> {
                if (!response.ended()) {
                    request.reset();
                }
            });
            return request.send();
        }).onSuccess(answer -> relay(answer, response)).onFailure(failure -> unavailable(response, base, failure));
    }

    /** Reads a small JSON document as the user, answering whatever the backend answered. */
    public Uni<Answer> get(URI base, String path, String user) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
                .setHost(base.getHost()).setPort(base.getPort()).setURI(path)
                .putHeader("Accept", "application/json").putHeader(AegisHeaders.IDENTITY, key.forUser(user));
        return Uni.createFrom().completionStage(() -> http.request(options)
                .compose(request -> request.send())
                .compose(Answer::of)
                .toCompletionStage());
    }

    /** Reads a small JSON document. */
    public Uni<Buffer> getJson(URI base, String path) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
                .setHost(base.getHost()).setPort(base.getPort()).setURI(path).putHeader("Accept", "application/json")
                .putHeader(AegisHeaders.IDENTITY, key.forNobody());
        return Uni.createFrom().completionStage(() -> http.request(options)
                .compose(request -> request.send())
                .compose(answer -> answer.statusCode() == 200 ? answer.body()
                        : io.vertx.core.Future.failedFuture("answered " + answer.statusCode()))
                .toCompletionStage());
    }

    private static void unavailable(HttpServerResponse response, URI base, Throwable failure) {
        Log.warnf("Backend %s unavailable: %s", base, failure.getMessage());
        if (response.headWritten()) {
            response.reset();
            return;
        }
        RouteProblems.send(response, new ProblemException(503, "SERVICE_UNAVAILABLE", "Service unavailable",
                "A service Aegis needs is not answering; try again shortly.").retryAfter(Duration.ofSeconds(5)));
    }
}
