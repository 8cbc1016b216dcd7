package io.aegis.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The gateway as a client sees it: bearer token, JSON in and out, over keep-alive connections.
 * One non-blocking event loop sends everything, so the load generator takes little of the CPU it
 * shares with the stack it measures.
 */
final class Http implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_MILLIS = 30_000;

    record Response(int status, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    private final Context context = vertx.getOrCreateContext();
    private final HttpClient client;
    private final String authorization;

    Http(URI gateway, String token) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(gateway.getHost())
                .setDefaultPort(gateway.getPort()).setConnectTimeout(5_000).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(128).setMaxWaitQueueSize(-1));
        this.authorization = "Bearer " + token;
    }

    static byte[] json(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    CompletableFuture<Response> postJson(String path, byte[] body) {
        return send(request(HttpMethod.POST, path).putHeader("Content-Type", "application/json"), Buffer.buffer(body));
    }

    Response get(String path) throws InterruptedException {
        try {
            return send(request(HttpMethod.GET, path), null).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("GET " + path + " failed: " + e, e);
        }
    }

    @Override
    public void close() {
        client.close();
        vertx.close();
    }

    private RequestOptions request(HttpMethod method, String path) {
        return new RequestOptions().setMethod(method).setURI(path).setIdleTimeout(TIMEOUT_MILLIS)
                .putHeader("Authorization", authorization).putHeader("Accept", "application/json");
    }

    /**
     * Every request starts on the one context the connections belong to: a response then reaches its
     * body handler in the same turn of the event loop, before any of its bytes can slip past.
     */
    private CompletableFuture<Response> send(RequestOptions options, Buffer body) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        context.runOnContext(start -> client.request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body().map(b -> new Response(response.statusCode(), b.toString())))
                .onSuccess(result::complete)
                .onFailure(result::completeExceptionally));
        return result;
    }
}
