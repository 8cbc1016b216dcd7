package io.aegis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The receiver reads what a real exporter sends: the fixture is one export of the gateway's
 * (Quarkus' OTLP exporter, http/protobuf), a request continuing the caller's
 * {@code traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}.
 */
class OtlpTraceReceiverTest {

    @Test
    void aRealExportDecodesToItsSpanWithItsIdsServiceAndAttributes() throws IOException {
        List<OtlpTraceReceiver.ReceivedSpan> spans = OtlpTraceReceiver.decode(fixture());

        assertThat(spans).singleElement().satisfies(span -> {
            assertThat(span.service()).isEqualTo("gateway-service");
            assertThat(span.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(span.parentSpanId()).isEqualTo("00f067aa0ba902b7");
            assertThat(span.spanId()).hasSize(16).isNotEqualTo(span.parentSpanId());
            assertThat(span.kind()).isEqualTo(OtlpTraceReceiver.ReceivedSpan.SERVER);
            assertThat(span.isRoot()).isFalse();
            assertThat(span.attributes()).containsEntry("url.path", "/api/v1/pipelines")
                    .containsEntry("http.request.method", "GET")
                    .containsEntry("http.response.status_code", "401");
        });
    }

    @Test
    void theReceiverTakesAnExportOverHttpAndKeepsItsSpansByTrace() throws Exception {
        try (OtlpTraceReceiver receiver = OtlpTraceReceiver.start()) {
            HttpResponse<Void> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(receiver.endpoint() + "/v1/traces"))
                    .header("Content-Type", "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(fixture())).build(), HttpResponse.BodyHandlers.discarding());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(receiver.trace("4bf92f3577b34da6a3ce929d0e0e4736")).hasSize(1);
            assertThat(receiver.trace("0af7651916cd43dd8448eb211c80319c")).isEmpty();
        }
    }

    private static byte[] fixture() throws IOException {
        try (InputStream in = OtlpTraceReceiverTest.class.getResourceAsStream("/otlp/gateway-export.bin")) {
            assertThat(in).as("the fixture").isNotNull();
            return in.readAllBytes();
        }
    }
}
