package io.aegis.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver, as a collector takes spans ({@code POST /v1/traces}, protobuf): the
 * services' real exporters send to it and a test reads what they sent. It decodes just what a test
 * asks of a span (its ids, parent, name, kind, the service that made it and its string and integer
 * attributes) from the protobuf wire format of {@code ExportTraceServiceRequest}, and answers every
 * export with success.
 */
public final class OtlpTraceReceiver implements AutoCloseable {

    /** A span as an exporter sent it; ids in lower-case hex, {@code parentSpanId} empty for a root. */
    public record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name,
                               int kind, Map<String, String> attributes) {

        public static final int INTERNAL = 1;
        public static final int SERVER = 2;
        public static final int CLIENT = 3;
        public static final int PRODUCER = 4;
        public static final int CONSUMER = 5;

        public boolean isRoot() {
            return parentSpanId.isEmpty();
        }
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

    private OtlpTraceReceiver(HttpServer server) {
        this.server = server;
    }

    /** A receiver on a free port of the loopback interface. */
    public static OtlpTraceReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        OtlpTraceReceiver receiver = new OtlpTraceReceiver(server);
        server.createContext("/", receiver::export);
        server.setExecutor(Executors.newSingleThreadExecutor(Thread.ofPlatform().name("otlp-receiver").daemon().factory()));
        server.start();
        return receiver;
    }

    /** The base address an exporter is given ({@code http://127.0.0.1:<port>}). */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every span received so far. */
    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** The spans of one trace received so far. */
    public List<ReceivedSpan> trace(String traceId) {
        return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
    }

    private void export(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                try (InputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    body = unzipped.readAllBytes();
                }
            }
            spans.addAll(decode(body));
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1); // an empty ExportTraceServiceResponse: all accepted
        }
    }

    /** The spans of an {@code ExportTraceServiceRequest}. */
    static List<ReceivedSpan> decode(byte[] request) {
        List<ReceivedSpan> found = new ArrayList<>();
        Wire export = new Wire(request);
        while (export.more()) {
            int field = export.tag();
            if (field == 1) { // ResourceSpans
                Wire resourceSpans = export.message();
                String service = "";
                List<Wire> scopes = new ArrayList<>();
                while (resourceSpans.more()) {
                    switch (resourceSpans.tag()) {
                        case 1 -> service = attributes(resourceSpans.message(), 1).getOrDefault("service.name", "");
                        case 2 -> scopes.add(resourceSpans.message());
                        default -> resourceSpans.skip();
                    }
                }
                for (Wire scope : scopes) {
                    while (scope.more()) {
                        if (scope.tag() == 2) {
                            found.add(span(scope.message(), service));
                        } else {
                            scope.skip();
                        }
                    }
                }
            } else {
                export.skip();
            }
        }
        return found;
    }

    private static ReceivedSpan span(Wire span, String service) {
        String traceId = "";
        String spanId = "";
        String parent = "";
        String name = "";
        int kind = 0;
        Map<String, String> attributes = new LinkedHashMap<>();
        while (span.more()) {
            switch (span.tag()) {
                case 1 -> traceId = HexFormat.of().formatHex(span.bytes());
                case 2 -> spanId = HexFormat.of().formatHex(span.bytes());
                case 4 -> parent = HexFormat.of().formatHex(span.bytes());
                case 5 -> name = new String(span.bytes(), StandardCharsets.UTF_8);
                case 6 -> kind = (int) span.varint();
                case 9 -> attributes.putAll(keyValue(span.message()));
                default -> span.skip();
            }
        }
        return new ReceivedSpan(service, traceId, spanId, parent, name, kind, attributes);
    }

    /** The string and integer attributes (field {@code field}, KeyValue) of a message. */
    private static Map<String, String> attributes(Wire message, int field) {
        Map<String, String> attributes = new LinkedHashMap<>();
        while (message.more()) {
            if (message.tag() == field) {
                attributes.putAll(keyValue(message.message()));
            } else {
                message.skip();
            }
        }
        return attributes;
    }

    /** A KeyValue whose AnyValue is a string, bool or integer; nothing for another kind of value. */
    private static Map<String, String> keyValue(Wire keyValue) {
        String key = null;
        String value = null;
        while (keyValue.more()) {
            switch (keyValue.tag()) {
                case 1 -> key = new String(keyValue.bytes(), StandardCharsets.UTF_8);
                case 2 -> {
                    Wire any = keyValue.message();
                    while (any.more()) {
                        switch (any.tag()) {
                            case 1 -> value = new String(any.bytes(), StandardCharsets.UTF_8);
                            case 2 -> value = Boolean.toString(any.varint() != 0);
                            case 3 -> value = Long.toString(any.varint());
                            default -> any.skip();
                        }
                    }
                }
                default -> keyValue.skip();
            }
        }
        return key == null || value == null ? Map.of() : Map.of(key, value);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Reads protobuf's wire format: a tag, then its field's value by wire type. */
    private static final class Wire {
        private final byte[] data;
        private int at;
        private final int end;
        private int wireType;

        Wire(byte[] data) {
            this(data, 0, data.length);
        }

        private Wire(byte[] data, int from, int end) {
            this.data = data;
            this.at = from;
            this.end = end;
        }

        boolean more() {
            return at < end;
        }

        /** The next field's number; its value is read next. */
        int tag() {
            long tag = varint();
            wireType = (int) (tag & 7);
            return (int) (tag >>> 3);
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = data[at++];
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new UncheckedIOException(new IOException("malformed varint"));
        }

        byte[] bytes() {
            int length = (int) varint();
            byte[] bytes = Arrays.copyOfRange(data, at, at + length);
            at += length;
            return bytes;
        }

        Wire message() {
            int length = (int) varint();
            Wire message = new Wire(data, at, at + length);
            at += length;
            return message;
        }

        void skip() {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> at += 8;
                case 2 -> {
                    int length = (int) varint(); // read first: `at += varint()` would add to the old position
                    at += length;
                }
                case 5 -> at += 4;
                default -> throw new UncheckedIOException(new IOException("unsupported wire type " + wireType));
            }
        }
    }
}
