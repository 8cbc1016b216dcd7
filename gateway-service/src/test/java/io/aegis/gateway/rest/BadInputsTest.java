package io.aegis.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aegis.events.EventJson;
import io.aegis.gateway.service.Identity;
import io.aegis.testing.RedisServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Inject;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad input a caller can send to the public API (listed in {@code bad-inputs.json}: bodies of the
 * wrong shape, FASTA the rules refuse, paths and queries the gateway cannot pass on, missing or forged
 * tokens, methods and routes that do not exist) is refused with a 4xx RFC 9457 problem carrying the
 * code the file names; a refused submit reaches no service, and what the gateway decides itself
 * reaches none.
 *
 * <p>A case in the file: {@code case} (what is wrong), {@code method}, {@code path} (sent as written,
 * escapes and all), {@code caller} (whose token is sent: a user, {@code forged}, or null for none;
 * alice when left out), the body as {@code contentType} and {@code body}, or {@code parts} of a
 * multipart form (each {@code name}, {@code fileName}, and {@code content} or {@code base64}), or
 * {@code bodyBytes} (a JSON job of about that size), then
 * the expected {@code status} and {@code code}, and {@code reachesBackend} where the gateway asks a
 * service before it refuses (a stream ticket asks job-service for the job).
 */
@QuarkusTest
@WithTestResource(BackendStandIn.class)
@WithTestResource(RedisServerResource.class)
class BadInputsTest {

    private static final String BOUNDARY = "aegis-bad-input";
    /** Bodies above this are sent the way curl sends them (see {@link #send}). */
    private static final int LARGE = 1 << 20;

    /** One bad input, as the file lists it. */
    record Case(String name, String caller, String method, String path, String contentType, byte[] body, int status,
                String code, boolean reachesBackend) {

        @Override
        public String toString() {
            return name;
        }
    }

    @Inject
    Identity identity;

    @TestHTTPResource("/")
    URI root;

    @BeforeEach
    void forget() {
        BackendStandIn.SEEN.clear();
    }

    static Stream<Case> cases() throws IOException {
        try (InputStream in = BadInputsTest.class.getResourceAsStream("bad-inputs.json")) {
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : EventJson.mapper().readTree(in)) {
                cases.add(new Case(c.path("case").asText(), c.has("caller") ? c.get("caller").asText(null) : "alice",
                        c.path("method").asText(), c.path("path").asText(), contentType(c), body(c),
                        c.path("status").asInt(), c.path("code").asText(), c.path("reachesBackend").asBoolean()));
            }
            return cases.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aBadInputIsRefusedWithAProblemThatSaysWhyAndNothingIsCreated(Case bad) throws IOException {
        Answer answer = send(bad);
        String answered = answer.status() + " " + answer.contentType() + " " + new String(answer.body(), StandardCharsets.UTF_8);

        assertThat(answer.status()).as("status of %s", answered).isEqualTo(bad.status());
        assertThat(answer.contentType()).as("content type of %s", answered).startsWith("application/problem+json");
        JsonNode problem = EventJson.mapper().readTree(answer.body());
        assertThat(problem.path("code").asText()).as("code of %s", answered).isNotBlank().isEqualTo(bad.code());
        assertThat(problem.path("status").asInt()).as("the problem's status").isEqualTo(bad.status());
        assertThat(problem.path("type").asText()).startsWith("urn:aegis:problem:");
        assertThat(BackendStandIn.SEEN).as("nothing was submitted to job-service")
                .noneMatch(seen -> seen.method().equals("POST") && seen.path().equals("/api/v1/jobs"));
        if (!bad.reachesBackend()) {
            // reading the database catalog (for a submit) asks the worker for nothing on the caller's behalf
            assertThat(BackendStandIn.SEEN).as("what reached a service")
                    .allMatch(seen -> seen.method().equals("GET") && seen.path().equals("/api/v1/databases"));
        }
    }

    private record Answer(int status, String contentType, byte[] body) {
    }

    /**
     * The request as the case writes it, over a socket: its target is not checked or encoded on the way
     * (an HTTP client would refuse to send a malformed escape). A large body is sent the way curl sends
     * one: the head with {@code Expect: 100-continue}, the body once the server asks for it, so a
     * refusal before the body is read is an answer, not a connection reset.
     */
    private Answer send(Case bad) throws IOException {
        StringBuilder head = new StringBuilder(bad.method() + " " + bad.path() + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n");
        if (bad.caller() != null) {
            head.append("Authorization: Bearer ").append(bad.caller().equals("forged") ? "forged.token.value"
                    : identity.tokens().orElseThrow().issue(bad.caller(), Duration.ofMinutes(5), Instant.now())).append("\r\n");
        }
        if (bad.contentType() != null) {
            head.append("Content-Type: ").append(bad.contentType()).append("\r\n");
        }
        byte[] body = bad.body() == null ? new byte[0] : bad.body();
        boolean expect = body.length > LARGE;
        head.append("Content-Length: ").append(body.length).append("\r\n").append(expect ? "Expect: 100-continue\r\n" : "")
                .append("\r\n");
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (!expect) {
                out.write(body);
            }
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Answer answer = read(in);
            if (expect && answer.status() == 100) {
                out.write(body);
                out.flush();
                answer = read(in);
            }
            return answer;
        }
    }

    /** One response: its status line, headers, and body by Content-Length, chunks, or to the end. */
    private static Answer read(InputStream in) throws IOException {
        int status = Integer.parseInt(line(in).split(" ")[1]);
        String contentType = null;
        long length = -1;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            String name = header.substring(0, header.indexOf(':')).strip().toLowerCase(Locale.ROOT);
            String value = header.substring(header.indexOf(':') + 1).strip();
            switch (name) {
                case "content-type" -> contentType = value;
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                default -> { }
            }
        }
        if (status == 100) {
            return new Answer(status, contentType, new byte[0]);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
                body.write(in.readNBytes(size));
                line(in);
            }
        } else if (length >= 0) {
            body.write(in.readNBytes((int) length));
        } else {
            body.write(in.readAllBytes());
        }
        return new Answer(status, contentType, body.toByteArray());
    }

    private static int chunkSize(InputStream in) throws IOException {
        return Integer.parseInt(line(in).split(";")[0].strip(), 16);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("The connection ended in a line: " + line);
            }
            line.write(c);
        }
        return line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
    }

    private static String contentType(JsonNode c) {
        if (c.has("parts")) {
            return "multipart/form-data; boundary=" + BOUNDARY;
        }
        return c.has("contentType") ? c.get("contentType").asText() : null;
    }

    private static byte[] body(JsonNode c) {
        if (c.has("parts")) {
            return multipart(c.get("parts"));
        }
        if (c.has("bodyBytes")) {
            // one long protein: the body's size is what is wrong with it
            char[] residues = new char[c.get("bodyBytes").asInt()];
            Arrays.fill(residues, 'M');
            return ("{\"database\": \"demo\", \"fasta\": \">big\\n" + new String(residues) + "\"}")
                    .getBytes(StandardCharsets.US_ASCII);
        }
        return c.has("body") ? c.get("body").asText().getBytes(StandardCharsets.UTF_8) : null;
    }

    private static byte[] multipart(JsonNode parts) {
        Buffer form = Buffer.buffer();
        for (JsonNode part : parts) {
            form.appendString("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + part.get("name").asText() + "\"");
            if (part.has("fileName")) {
                form.appendString("; filename=\"" + part.get("fileName").asText() + "\"\r\nContent-Type: text/plain");
            }
            form.appendString("\r\n\r\n");
            form.appendBytes(part.has("base64") ? Base64.getDecoder().decode(part.get("base64").asText())
                    : part.get("content").asText().getBytes(StandardCharsets.UTF_8));
            form.appendString("\r\n");
        }
        return form.appendString("--" + BOUNDARY + "--\r\n").getBytes();
    }
}
