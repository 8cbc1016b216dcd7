package io.aegis.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * values-dev.yaml generates the credentials once and keeps them: the dev PostgreSQL's data keeps
 * the password it was initialized with, and tokens stay valid across `helm upgrade`.
 */
class DevCredentialsTest {

    private static final String SECRET = "aegis-dev-credentials";

    @Test
    void aFirstInstallGeneratesEveryCredential() {
        JsonNode secret = render("fresh").get("Secret", SECRET);
        JsonNode data = secret.path("data");
        assertThat(decode(data, "token-secret")).hasSize(48);
        assertThat(decode(data, "internal-key")).hasSize(48).isNotEqualTo(decode(data, "token-secret"));
        assertThat(decode(data, "username")).isEqualTo("aegis");
        assertThat(decode(data, "password")).hasSize(32);
        String redisPassword = decode(data, "redis-password");
        assertThat(redisPassword).hasSize(32);
        assertThat(decode(data, "redis-url")).isEqualTo("redis://:" + redisPassword + "@aegis-redis:6379");
        assertThat(secret.path("metadata").path("annotations").path("helm.sh/resource-policy").asText())
                .as("kept on uninstall, with the database that uses it").isEqualTo("keep");
        assertThat(FakeKubernetesApi.requests()).as("the chart only looks for its earlier Secret")
                .contains("GET /api/v1/namespaces/fresh/secrets/" + SECRET)
                .allSatisfy(request -> assertThat(request).startsWith("GET /api"));
    }

    @Test
    void anUpgradeKeepsTheCredentialsOfTheFirstInstall() {
        Map<String, String> earlier = Map.of(
                "token-secret", encode("token-key-of-the-first-install-0123456789abcdef"),
                "internal-key", encode("internal-key-of-the-first-install-0123456789ab"),
                "username", encode("aegis"),
                "password", encode("database-password-of-the-first"),
                "redis-password", encode("redis-password-of-the-first"),
                "redis-url", encode("redis://:redis-password-of-the-first@aegis-redis:6379"));
        FakeKubernetesApi.putSecret("upgraded", SECRET, earlier);
        JsonNode data = render("upgraded").get("Secret", SECRET).path("data");
        earlier.forEach((key, value) -> assertThat(data.path(key).asText()).as(key).isEqualTo(value));
    }

    @Test
    void withoutLookupARenderAsksNothingOfTheApi() {
        Rendered render = Rendered.parse(HelmChart.template("offline", List.of(HelmChart.file("values-dev.yaml")),
                Map.of("dev.secrets.lookupExisting", "false")));
        assertThat(render.has("Secret", SECRET)).isTrue();
        assertThat(FakeKubernetesApi.requests()).noneMatch(request -> request.contains("/namespaces/offline/"));
    }

    private static Rendered render(String namespace) {
        return Rendered.parse(HelmChart.template(namespace, List.of(HelmChart.file("values-dev.yaml")), Map.of()));
    }

    private static String decode(JsonNode data, String key) {
        return new String(Base64.getDecoder().decode(data.path(key).asText()));
    }

    private static String encode(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes());
    }
}
