package io.aegis.chart;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kubernetes API a render's {@code lookup} talks to: it knows Secrets only, holds the ones a test
 * puts in it, and answers 404 for the rest. Started once per test run on a free port of the loopback;
 * the {@code KUBECONFIG} the build sets for the tests names a file written here, so that nothing in
 * this module can reach a real cluster.
 */
final class FakeKubernetesApi {

    private static final Pattern SECRET = Pattern.compile("^/api/v1/namespaces/([^/]+)/secrets/([^/?]+)$");
    private static final JsonMapper JSON = new JsonMapper();
    private static final Map<String, Map<String, Object>> SECRETS = new ConcurrentHashMap<>();
    private static final List<String> REQUESTS = new CopyOnWriteArrayList<>();
    private static HttpServer server;

    private FakeKubernetesApi() {
    }

    static synchronized void ensureRunning() {
        if (server != null) {
            return;
        }
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig == null || !kubeconfig.contains("fake-kubernetes")) {
            throw new IllegalStateException("KUBECONFIG must name this module's fake API (run the tests through Maven: "
                    + "surefire sets it), so that a render never reaches a real cluster; it is " + kubeconfig);
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", FakeKubernetesApi::answer);
            server.start();
            Path file = Path.of(kubeconfig);
            Files.createDirectories(file.getParent());
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                      - name: fake
                        cluster:
                          server: http://127.0.0.1:%d
                    users:
                      - name: fake
                        user: {}
                    contexts:
                      - name: fake
                        context:
                          cluster: fake
                          user: fake
                    current-context: fake
                    """.formatted(server.getAddress().getPort()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts a Secret in the fake cluster; data values are base64, as the API shows them. */
    static void putSecret(String namespace, String name, Map<String, String> data) {
        SECRETS.put(namespace + "/" + name, Map.of("apiVersion", "v1", "kind", "Secret",
                "metadata", Map.of("name", name, "namespace", namespace), "type", "Opaque", "data", data));
    }

    /** The requests made so far ("GET /api/v1/…"). */
    static List<String> requests() {
        return List.copyOf(REQUESTS);
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        REQUESTS.add(exchange.getRequestMethod() + " " + path);
        Matcher secret = SECRET.matcher(path);
        if (!"GET".equals(exchange.getRequestMethod())) {
            send(exchange, 405, status(405, "MethodNotAllowed", "this fake API only reads"));
        } else if (path.equals("/api")) {
            send(exchange, 200, Map.of("kind", "APIVersions", "versions", List.of("v1"), "serverAddressByClientCIDRs",
                    List.of(Map.of("clientCIDR", "0.0.0.0/0", "serverAddress", "127.0.0.1"))));
        } else if (path.equals("/apis")) {
            send(exchange, 200, Map.of("kind", "APIGroupList", "apiVersion", "v1", "groups", List.of()));
        } else if (path.equals("/api/v1")) {
            send(exchange, 200, Map.of("kind", "APIResourceList", "groupVersion", "v1", "resources", List.of(Map.of(
                    "name", "secrets", "singularName", "secret", "namespaced", true, "kind", "Secret",
                    "verbs", List.of("get", "list")))));
        } else if (secret.matches() && SECRETS.containsKey(secret.group(1) + "/" + secret.group(2))) {
            send(exchange, 200, SECRETS.get(secret.group(1) + "/" + secret.group(2)));
        } else {
            send(exchange, 404, status(404, "NotFound", path + " not found"));
        }
    }

    private static Map<String, Object> status(int code, String reason, String message) {
        return Map.of("kind", "Status", "apiVersion", "v1", "metadata", Map.of(), "status", "Failure",
                "message", message, "reason", reason, "code", code);
    }

    private static void send(HttpExchange exchange, int code, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
