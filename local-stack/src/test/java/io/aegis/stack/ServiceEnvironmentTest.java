package io.aegis.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.stack.ServiceEnvironment.Database;
import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceEnvironmentTest {

    private static final Database DATABASE = new Database("127.0.0.1", 5432, "aegis_e2e", "aegis", "db-password");

    private static ServiceEnvironment environment(Map<String, String> settings) {
        Map<Service, Integer> ports = new EnumMap<>(Service.class);
        Map<Service, Integer> managementPorts = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            ports.put(service, 18080 + service.ordinal());
            managementPorts.put(service, 19180 + service.ordinal());
        }
        return new ServiceEnvironment(ports, "127.0.0.1:19092", "redis://:redis-password@127.0.0.1:16380", DATABASE,
                "internal-key", "token-secret", URI.create("http://127.0.0.1:18180/realms/aegis"), Path.of("/stack/store"),
                Path.of("/stack/databases"), List.of("alice", "bob"), List.of("alice"), "e2e", settings, managementPorts);
    }

    @Test
    void eachSecretGoesOnlyToTheServicesThatNeedIt() {
        ServiceEnvironment environment = environment(Map.of());
        for (Service service : Service.values()) {
            Map<String, String> env = environment.of(service);
            assertThat(env.containsKey("AEGIS_DB_PASSWORD")).as(service.id())
                    .isEqualTo(service == Service.JOB || service == Service.ARTIFACT);
            assertThat(env.containsKey("AEGIS_REDIS_URL")).as(service.id())
                    .isEqualTo(service == Service.GATEWAY || service == Service.LOG_STREAM);
            assertThat(env.containsKey("AEGIS_IDENTITY_TOKEN_SECRET")).as(service.id()).isEqualTo(service == Service.GATEWAY);
            assertThat(env.containsKey("AEGIS_IDENTITY_OIDC_ISSUER")).as(service.id()).isEqualTo(service == Service.GATEWAY);
            assertThat(env).as(service.id()).containsEntry("AEGIS_INTERNAL_KEY", "internal-key");
        }
        assertThat(environment.of(Service.JOB)).containsEntry("AEGIS_DB_NAME", "aegis_e2e")
                .containsEntry("AEGIS_DB_USER", "aegis");
        assertThat(environment.of(Service.GATEWAY)).containsEntry("AEGIS_IDENTITY_USERS", "alice,bob")
                .containsEntry("AEGIS_IDENTITY_ADMINS", "alice");
    }

    @Test
    void everyServiceFindsTheOthersAndTheStoreAndAllButTheGatewayFindKafka() {
        ServiceEnvironment environment = environment(Map.of());
        for (Service service : Service.values()) {
            Map<String, String> env = environment.of(service);
            assertThat(env).as(service.id())
                    .containsEntry("QUARKUS_HTTP_PORT", Integer.toString(18080 + service.ordinal()))
                    .containsEntry("QUARKUS_MANAGEMENT_PORT", Integer.toString(19180 + service.ordinal()))
                    .containsEntry("AEGIS_SERVICES_JOB", "http://127.0.0.1:18080")
                    .containsEntry("AEGIS_SERVICES_WORKER", "http://127.0.0.1:18081")
                    .containsEntry("AEGIS_SERVICES_ARTIFACT", "http://127.0.0.1:18082")
                    .containsEntry("AEGIS_SERVICES_LOG_STREAM", "http://127.0.0.1:18083")
                    .containsEntry("AEGIS_STORE_ROOT", "/stack/store")
                    .containsEntry("AEGIS_DATABASES_SOURCE_DIR", "/stack/databases");
            assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).as(service.id())
                    .isEqualTo(service == Service.GATEWAY ? null : "127.0.0.1:19092");
        }
        assertThat(environment.of(Service.LOG_STREAM)).containsEntry("AEGIS_LOG_STREAM_INSTANCE", "e2e");
        assertThat(environment.metricsUrl(Service.LOG_STREAM)).isEqualTo("http://127.0.0.1:19183/q/metrics");
    }

    @Test
    void anEnvironmentWithoutManagementPortsLetsEachServiceTakeAnyFreeOne() {
        ServiceEnvironment full = environment(Map.of());
        ServiceEnvironment bare = new ServiceEnvironment(full.ports(), full.kafka(), null, DATABASE, "internal-key", null,
                null, full.store(), full.databasesSource(), List.of("alice"), List.of(), "bench", Map.of());
        for (Service service : Service.values()) {
            assertThat(bare.of(service)).containsEntry("QUARKUS_MANAGEMENT_PORT", "0");
        }
    }

    @Test
    void aStacksSettingsGoToEveryServiceOverTheDefaults() {
        ServiceEnvironment environment = environment(Map.of("AEGIS_QUEUE_ACTIVE_PER_USER", "12",
                "AEGIS_STORE_ROOT", "/elsewhere"));
        for (Service service : Service.values()) {
            assertThat(environment.of(service)).as(service.id()).containsEntry("AEGIS_QUEUE_ACTIVE_PER_USER", "12")
                    .containsEntry("AEGIS_STORE_ROOT", "/elsewhere");
        }
    }

    @Test
    void withoutAProviderOrOwnTokensTheGatewayGetsNeither() {
        ServiceEnvironment full = environment(Map.of());
        ServiceEnvironment bare = new ServiceEnvironment(full.ports(), full.kafka(), null, DATABASE, "internal-key", null,
                null, full.store(), full.databasesSource(), List.of("alice"), List.of(), "bench", Map.of());
        assertThat(bare.of(Service.GATEWAY)).doesNotContainKeys("AEGIS_IDENTITY_TOKEN_SECRET",
                "AEGIS_IDENTITY_OIDC_ISSUER", "AEGIS_REDIS_URL", "AEGIS_IDENTITY_ADMINS");
    }
}
