package io.aegis.chart;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A wrong value fails the install before anything reaches the cluster, with a message that names
 * the value: the schema catches types, enums and unknown keys; the templates catch a required value
 * left empty. ({@code helm install} renders exactly as {@code helm template} does here.)
 */
class BadValuesTest {

    private static final List<java.nio.file.Path> PRODUCTION = List.of(HelmChart.testValues("production.yaml"));

    @Test
    void aValueOfTheWrongTypeFailsNamingTheValue() {
        assertFails(PRODUCTION, Map.of("jobService.replicaCount", "two"), "/jobService/replicaCount", "integer");
    }

    @Test
    void aMistypedKeyFailsNamingIt() {
        assertFails(PRODUCTION, Map.of("jobService.replicas", "2"), "/jobService", "'replicas' not allowed");
    }

    @Test
    void anUnknownExecutorFailsNamingTheChoices() {
        assertFails(PRODUCTION, Map.of("pipelineWorker.executor", "docker"), "/pipelineWorker/executor", "kubernetes", "local");
    }

    @Test
    void aQuantityThatIsNotOneFailsNamingIt() {
        assertFails(PRODUCTION, Map.of("store.size", "lots"), "/store/size");
    }

    @Test
    void aSettingTheChartOwnsCannotBeOverriddenThroughEnv() {
        assertFails(PRODUCTION, Map.of("jobService.env.JAVA_OPTS", "-Xmx1g"), "/jobService/env/JAVA_OPTS");
    }

    @Test
    void aRoleIsNeverBoundToTheNamespacesDefaultServiceAccount() {
        assertFails(PRODUCTION, Map.of("pipelineWorker.serviceAccount.create", "false"),
                "pipelineWorker.serviceAccount.name is required");
    }

    @Test
    void aMissingTokenSecretFailsNamingTheValue() {
        assertFails(PRODUCTION, Map.of("gatewayService.identity.existingSecret.name", ""),
                "gatewayService.identity.existingSecret.name is required");
        assertFails(PRODUCTION, Map.of("internalKey.existingSecret.name", ""), "internalKey.existingSecret.name is required");
    }

    @Test
    void aMissingDatabaseSecretFailsNamingTheValue() {
        assertFails(PRODUCTION, Map.of("database.existingSecret.name", ""), "database.existingSecret.name is required");
    }

    @Test
    void aMissingRedisFailsNamingBothWaysToGiveIt() {
        assertFails(PRODUCTION, Map.of("redis.existingSecret.name", ""), "redis.url or redis.existingSecret.name is required");
    }

    @Test
    void aMissingKafkaFailsNamingTheValue() {
        assertFails(PRODUCTION, Map.of("kafka.bootstrapServers", ""), "kafka.bootstrapServers is required");
    }

    @Test
    void saslWithoutItsSecretFailsNamingTheValue() {
        assertFails(PRODUCTION, Map.of("kafka.securityProtocol", "SASL_SSL"), "kafka.existingSecret.name is required");
    }

    @Test
    void aTestUserTheGatewayDoesNotKnowFails() {
        assertFails(PRODUCTION, Map.of("tests.user", "mallory"), "tests.user \"mallory\" is not one of gatewayService.identity.users");
    }

    @Test
    void toolsInAnotherNamespaceWithoutAClaimThereFailNamingTheValues() {
        assertFails(PRODUCTION, Map.of("pipelineWorker.kubernetes.namespace", "tools"),
                "pipelineWorker.kubernetes.namespace \"tools\" is not the release's namespace", "store.existingClaim");
    }

    @Test
    void tracingWithoutACollectorFailsNamingTheValue() {
        assertFails(PRODUCTION, Map.of("tracing.enabled", "true"), "/tracing/endpoint");
        assertFails(PRODUCTION, Map.of("tracing.enabled", "true", "tracing.endpoint", "otel:4318"), "/tracing/endpoint");
        assertFails(PRODUCTION, Map.of("tracing.protocol", "zipkin"), "/tracing/protocol", "http/protobuf", "grpc");
    }

    private static void assertFails(List<java.nio.file.Path> valuesFiles, Map<String, String> sets, String... fragments) {
        assertThatThrownBy(() -> HelmChart.template(HelmChart.NAMESPACE, valuesFiles, sets))
                .hasMessageContainingAll(fragments);
    }
}
