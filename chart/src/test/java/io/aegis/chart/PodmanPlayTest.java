package io.aegis.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The chart as ./aegis k8s smoke renders it with deploy/k8s/smoke-values.yaml, turned into a podman play. */
class PodmanPlayTest {

    static final Path SMOKE_VALUES = HelmChart.SOURCE.resolve("../../deploy/k8s/smoke-values.yaml").normalize();
    static final Map<String, String> SECRETS = Map.of(
            "smoke-database/username", "aegis", "smoke-database/password", "db-password",
            "smoke-identity/token-secret", "a-token-secret-of-the-smoke-run",
            "smoke-internal/internal-key", "an-internal-key-of-the-smoke-run",
            "smoke-redis/url", "redis://:a-redis-password@127.0.0.1:26380");

    private static List<JsonNode> smokeRender() {
        return ChartTool.parse(HelmChart.template("default", List.of(SMOKE_VALUES),
                Map.of("kafka.bootstrapServers", "127.0.0.1:29092", "image.tag", "0.1.0-SNAPSHOT")));
    }

    @Test
    void playsTheFiveServicesAsDeploymentsAfterTheirConfigMaps() {
        PodmanPlay.Play play = PodmanPlay.of(smokeRender(), SECRETS);

        assertThat(play.objects()).extracting(o -> o.path("kind").asText())
                .containsExactly("ConfigMap", "ConfigMap", "ConfigMap", "ConfigMap", "ConfigMap",
                        "Deployment", "Deployment", "Deployment", "Deployment", "Deployment");
        assertThat(play.objects()).filteredOn(o -> o.path("kind").asText().equals("Deployment"))
                .extracting(o -> o.path("metadata").path("name").asText())
                .containsExactlyInAnyOrder("aegis-gateway-service", "aegis-job-service", "aegis-pipeline-worker",
                        "aegis-artifact-service", "aegis-log-stream-service");
        assertThat(play.leftOut()).contains("Service/aegis-gateway-service", "ServiceAccount/aegis-job-service",
                        "PersistentVolumeClaim/aegis-store")
                .noneMatch(name -> name.startsWith("Deployment/") || name.startsWith("ConfigMap/"));
    }

    @Test
    void theLogStreamStatefulSetRunsAsOnePodThatKeepsItsInstanceName() {
        ObjectNode logStream = deployment(PodmanPlay.of(smokeRender(), SECRETS), "aegis-log-stream-service");

        assertThat(logStream.path("spec").has("serviceName")).isFalse();
        assertThat(env(logStream, "AEGIS_LOG_STREAM_INSTANCE")).isEqualTo("aegis-log-stream-service-0");
    }

    @Test
    void secretsReachOnlyTheContainersThatNamedThemAsPlainValues() {
        PodmanPlay.Play play = PodmanPlay.of(smokeRender(), SECRETS);

        assertThat(env(deployment(play, "aegis-gateway-service"), "AEGIS_IDENTITY_TOKEN_SECRET"))
                .isEqualTo("a-token-secret-of-the-smoke-run");
        assertThat(env(deployment(play, "aegis-job-service"), "AEGIS_DB_PASSWORD")).isEqualTo("db-password");
        assertThat(env(deployment(play, "aegis-pipeline-worker"), "AEGIS_INTERNAL_KEY"))
                .isEqualTo("an-internal-key-of-the-smoke-run");
        assertThat(play.objects()).allSatisfy(object -> assertThat(object.findValues("valueFrom")).isEmpty());
        assertThat(ChartTool.write(List.of(deployment(play, "aegis-pipeline-worker")))).doesNotContain("db-password", "token-secret-of");
    }

    @Test
    void podsOnTheHostNetworkListNoPortsForPodmanToMap() {
        PodmanPlay.Play play = PodmanPlay.of(smokeRender(), SECRETS);

        assertThat(play.objects()).filteredOn(o -> o.path("kind").asText().equals("Deployment")).allSatisfy(deployment -> {
            assertThat(deployment.path("spec").path("template").path("spec").path("hostNetwork").asBoolean()).isTrue();
            assertThat(deployment.findValues("ports")).isEmpty();
        });
    }

    @Test
    void eachPodHasATmpOfItsOwnNotOneVolumeSharedByName() {
        ObjectNode gateway = deployment(PodmanPlay.of(smokeRender(), SECRETS), "aegis-gateway-service");
        JsonNode podSpec = gateway.path("spec").path("template").path("spec");

        assertThat(podSpec.path("volumes").findValuesAsText("name")).contains("aegis-gateway-service-tmp").doesNotContain("tmp");
        assertThat(podSpec.path("containers").get(0).path("volumeMounts").findValuesAsText("name"))
                .contains("aegis-gateway-service-tmp");
    }

    @Test
    void aSecretKeyThatWasNotGivenIsAnErrorNamingIt() {
        assertThatThrownBy(() -> PodmanPlay.of(smokeRender(), Map.of("smoke-database/username", "aegis")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Secret key smoke-");
    }

    @Test
    void anInitContainerIsRefusedForPodmanNeverLetsItComplete() {
        List<JsonNode> seeding = ChartTool.parse(HelmChart.template("default", List.of(SMOKE_VALUES),
                Map.of("kafka.bootstrapServers", "127.0.0.1:29092", "databases.seedExamples", "true")));

        assertThatThrownBy(() -> PodmanPlay.of(seeding, SECRETS))
                .hasMessageContaining("aegis-pipeline-worker has init containers");
    }

    @Test
    void aKindPodmanCannotPlayIsNeverDroppedSilently() {
        ObjectNode cronJob = HelmChart.YAML.createObjectNode().put("apiVersion", "batch/v1").put("kind", "CronJob");
        cronJob.putObject("metadata").put("name", "nightly");

        assertThatThrownBy(() -> PodmanPlay.of(List.of(cronJob), Map.of()))
                .hasMessage("podman cannot play a CronJob (nightly)");
    }

    private static ObjectNode deployment(PodmanPlay.Play play, String name) {
        return play.objects().stream()
                .filter(o -> o.path("kind").asText().equals("Deployment") && o.path("metadata").path("name").asText().equals(name))
                .findFirst().orElseThrow();
    }

    private static String env(ObjectNode deployment, String name) {
        JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").get(0);
        return StreamSupport.stream(container.path("env").spliterator(), false)
                .filter(e -> e.path("name").asText().equals(name)).findFirst()
                .map(e -> e.path("value").asText()).orElseThrow(() -> new AssertionError("no " + name));
    }
}
