package io.aegis.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the traced benchmark runs send their spans: an OTLP/HTTP endpoint that takes every export, as
 * a collector would, and counts the requests and bytes, so the services pay the whole cost of making,
 * encoding and sending their spans, and nothing of a collector's.
 */
final class OtlpSink implements AutoCloseable {

    private final HttpServer server;
    private final AtomicLong exports = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    private OtlpSink(HttpServer server) {
        this.server = server;
    }

    static OtlpSink start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        OtlpSink sink = new OtlpSink(server);
        server.createContext("/", sink::take);
        server.setExecutor(Executors.newSingleThreadExecutor(Thread.ofPlatform().name("otlp-sink").daemon().factory()));
        server.start();
        return sink;
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String format() {
        return String.format(Locale.ROOT, "%,d exports, %.1f MB of spans", exports.get(), bytes.get() / 1e6);
    }

    private void take(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            bytes.addAndGet(body.transferTo(OutputStream.nullOutputStream()));
            exports.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
