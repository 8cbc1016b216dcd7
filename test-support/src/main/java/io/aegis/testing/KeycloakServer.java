package io.aegis.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real OpenID Connect provider for the tests: Keycloak's distribution from Maven Central (a
 * module's build unpacks it; see the gateway's pom), started in dev mode on free ports with a realm
 * imported from a file, and stopped with the test JVM. It keeps its data in the distribution's
 * folder, emptied at each start. Signing in is done as a script would: the password grant of a
 * client that allows it.
 */
public final class KeycloakServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;
    private final String adminPassword = HexFormat.of().formatHex(randomBytes(16));
    private final Path log;
    private Process process;

    private KeycloakServer(int port, Path log) {
        this.port = port;
        this.log = log;
    }

    /**
     * Starts Keycloak from the unpacked distribution {@code home} with the realm of {@code realmFile}
     * and waits until the realm's discovery document is served.
     */
    public static KeycloakServer start(Path home, Path realmFile) {
        List<Integer> ports = Ports.free(2);
        try {
            Path data = home.resolve("data");
            Folders.delete(data);
            Files.createDirectories(data.resolve("import"));
            Files.copy(realmFile, data.resolve("import").resolve(realmFile.getFileName()));
            KeycloakServer server = new KeycloakServer(ports.get(0), Files.createTempFile("aegis-keycloak-", ".log"));
            server.launch(home, ports.get(1));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The password of the master realm's administrator {@code admin}. */
    public String adminPassword() {
        return adminPassword;
    }

    /** The issuer of the realm {@code realm}. */
    public URI issuer(String realm) {
        return URI.create("http://127.0.0.1:" + port + "/realms/" + realm);
    }

    /** An access token of {@code client} for {@code user}, signed in with their password. */
    public String token(String realm, String client, String user, String password) {
        JsonNode answer = post(issuer(realm) + "/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", client, "username", user, "password", password), null);
        return answer.path("access_token").asText();
    }

    /** Adds a client to {@code realm}, as its administrator does: {@code client} is Keycloak's JSON of a client. */
    public void createClient(String realm, String client) {
        send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/realms/" + realm + "/clients"))
                .header("Authorization", "Bearer " + adminToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(client)).build(), 201);
    }

    /**
     * Lets the web app served at {@code origin} (such as {@code http://localhost:8080}) sign in with
     * {@code client}, as the operator registering an installation's address does: the origin's pages
     * become redirect URIs (and, through {@code +}, post-logout redirect URIs) and the origin a web
     * origin, whose fetches to the token endpoint the provider then allows (CORS).
     */
    public void allowOrigin(String realm, String clientId, String origin) {
        String admin = adminToken();
        String clients = "http://127.0.0.1:" + port + "/admin/realms/" + realm + "/clients";
        JsonNode found = get(clients + "?clientId=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8), admin);
        if (found.isEmpty()) {
            throw new IllegalArgumentException("No client " + clientId + " in realm " + realm);
        }
        ObjectNode client = (ObjectNode) found.get(0);
        client.withArray("redirectUris").add(origin + "/*");
        client.withArray("webOrigins").add(origin);
        send(HttpRequest.newBuilder(URI.create(clients + "/" + client.path("id").asText()))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(client.toString())).build(), 204);
    }

    /**
     * Gives the realm a new RSA signing key that takes precedence over the keys it had, as an
     * operator rotating keys does; tokens issued from now on are signed with it.
     */
    public void rotateSigningKey(String realm) {
        String admin = adminToken();
        JsonNode realmInfo = get("http://127.0.0.1:" + port + "/admin/realms/" + realm, admin);
        String body = """
                {"name":"rotated-%d","providerId":"rsa-generated","providerType":"org.keycloak.keys.KeyProvider",
                 "parentId":"%s","config":{"priority":["%d"],"keySize":["2048"],"active":["true"],"enabled":["true"],
                 "algorithm":["RS256"]}}""".formatted(System.nanoTime(), realmInfo.path("id").asText(),
                System.currentTimeMillis() / 1000);
        send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/realms/" + realm + "/components"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), 201);
    }

    private String adminToken() {
        return token("master", "admin-cli", "admin", adminPassword);
    }

    private void launch(Path home, int managementPort) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + managementPort,
                "--import-realm")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        // Keycloak's launcher picks its own collector
        env.put("JAVA_OPTS_APPEND", "-Xms64m -Xmx512m " + TestJvm.QUICK_COMPILER);
        process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "keycloak-stop"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        URI discovery = URI.create("http://127.0.0.1:" + port + "/realms/master/.well-known/openid-configuration");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak stopped while starting; see " + log);
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(500);
        }
        throw new IllegalStateException("Keycloak did not serve its discovery document within 180 s; see " + log);
    }

    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            ChildProcesses.stop(process);
        }
    }

    private static JsonNode post(String uri, Map<String, String> form, String bearer) {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return readTree(send(request.build(), 200));
    }

    private static JsonNode get(String uri, String bearer) {
        return readTree(send(HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + bearer).build(), 200));
    }

    private static String send(HttpRequest request, int expected) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readTree(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
