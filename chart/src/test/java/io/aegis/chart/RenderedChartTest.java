package io.aegis.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.aegis.chart.Rendered.Workload;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rendered objects of every {@link Scenario}, checked the way a careful operator would read
 * them before installing: health, resources and security of every container; every reference to a
 * Secret, ConfigMap, Service or claim resolved; least privilege in the API and on the network;
 * the topics as files/topics.json defines them.
 */
class RenderedChartTest {

    private static final Set<String> KAFKA_CLIENTS = Set.of("job-service", "pipeline-worker", "artifact-service", "log-stream-service");

    // ------------------------------------------------------------------------------- containers

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void everyContainerHasProbesOnExistingHealthPaths(Scenario scenario) {
        Rendered render = HelmChart.render(scenario);
        Rendered.SERVICES.forEach((component, port) -> {
            JsonNode container = render.service(component).mainContainer();
            assertThat(containerPort(container, "http")).as("%s's port", component).isEqualTo(port);
            assertHttpProbe(component, container, "startupProbe", "/q/health/started", port);
            assertHttpProbe(component, container, "livenessProbe", "/q/health/live", port);
            assertHttpProbe(component, container, "readinessProbe", "/q/health/ready", port);
            // a JVM on a small node may take a minute to start: the startup probe waits at least two
            JsonNode startup = container.path("startupProbe");
            assertThat(startup.path("periodSeconds").asInt() * startup.path("failureThreshold").asInt())
                    .as("%s's startup allowance in seconds", component).isGreaterThanOrEqualTo(120);
        });
        // the other long-running containers (the dev Kafka, PostgreSQL, Redis) are watched too
        render.workloads().filter(w -> w.kind().equals("Deployment") || w.kind().equals("StatefulSet"))
                .flatMap(Workload::containers)
                .forEach(container -> assertThat(container.has("livenessProbe") && container.has("readinessProbe"))
                        .as("%s has liveness and readiness probes", container.path("name").asText()).isTrue());
    }

    @Test
    void theHealthPathsTheProbesUseExistInEveryService() throws IOException {
        // SmallRye Health serves /q/health/live, /ready and /started under the default roots
        Path repository = HelmChart.SOURCE.getParent().getParent();
        for (String service : Rendered.SERVICES.keySet()) {
            assertThat(Files.readString(repository.resolve(service).resolve("pom.xml")))
                    .as("%s has SmallRye Health", service).contains("<artifactId>quarkus-smallrye-health</artifactId>");
            assertThat(Files.readString(repository.resolve(service).resolve("src/main/resources/application.properties")))
                    .as("%s keeps the default health paths", service)
                    .doesNotContain("quarkus.smallrye-health.root-path", "quarkus.http.non-application-root-path",
                            "quarkus.smallrye-health.liveness-path", "quarkus.smallrye-health.readiness-path",
                            "quarkus.smallrye-health.startup-path");
        }
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void everyContainerHasRequestsAndLimits(Scenario scenario) {
        HelmChart.render(scenario).workloads().forEach(workload -> workload.allContainers().forEach(container -> {
            for (String bound : List.of("requests", "limits")) {
                for (String resource : List.of("cpu", "memory")) {
                    assertThat(container.path("resources").path(bound).path(resource).asText())
                            .as("%s container %s: resources.%s.%s", workload, container.path("name").asText(), bound, resource)
                            .isNotBlank();
                }
            }
        }));
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void everyContainerRunsAsNonRootOnAReadOnlyRootWithoutCapabilities(Scenario scenario) {
        HelmChart.render(scenario).workloads().forEach(workload -> workload.allContainers().forEach(container -> {
            String what = workload + " container " + container.path("name").asText();
            JsonNode own = container.path("securityContext");
            JsonNode pod = workload.podSpec().path("securityContext");
            assertThat(own.path("runAsNonRoot").asBoolean(pod.path("runAsNonRoot").asBoolean(false))).as("%s runAsNonRoot", what).isTrue();
            assertThat(own.path("readOnlyRootFilesystem").asBoolean(false)).as("%s readOnlyRootFilesystem", what).isTrue();
            assertThat(own.path("allowPrivilegeEscalation").asBoolean(true)).as("%s allowPrivilegeEscalation", what).isFalse();
            assertThat(texts(own.path("capabilities").path("drop"))).as("%s capabilities.drop", what).contains("ALL");
            assertThat(texts(own.path("capabilities").path("add"))).as("%s capabilities.add", what).isEmpty();
            String seccomp = own.path("seccompProfile").path("type").asText(pod.path("seccompProfile").path("type").asText());
            assertThat(seccomp).as("%s seccompProfile", what).isEqualTo("RuntimeDefault");
        }));
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void everyServiceRunsAsTheImageUserAndWritesOnlyToTmpAndTheStore(Scenario scenario) {
        Rendered render = HelmChart.render(scenario);
        Rendered.SERVICES.keySet().forEach(component -> {
            Workload workload = render.service(component);
            JsonNode pod = workload.podSpec();
            assertThat(pod.path("securityContext").path("runAsUser").asInt()).as("%s runAsUser", component).isEqualTo(10001);
            // the images' user and group (10001:0), and the store group-writable to it
            assertThat(pod.path("securityContext").path("runAsGroup").asInt(-1)).as("%s runAsGroup", component).isZero();
            assertThat(pod.path("securityContext").path("fsGroup").asInt(-1)).as("%s fsGroup", component).isZero();
            assertThat(pod.path("enableServiceLinks").asBoolean(true)).as("%s enableServiceLinks", component).isFalse();
            JsonNode container = workload.mainContainer();
            Map<String, String> mounts = new HashMap<>();
            container.path("volumeMounts").forEach(m -> mounts.put(m.path("name").asText(), m.path("mountPath").asText()));
            assertThat(mounts).as("%s mounts", component).containsEntry("tmp", "/tmp");
            assertThat(Set.of("tmp", "store", "kafka-ca")).as("%s mounts only /tmp, the store and the Kafka CA", component)
                    .containsAll(mounts.keySet());
            JsonNode tmp = workload.volume("tmp").orElseThrow();
            assertThat(tmp.path("emptyDir").path("sizeLimit").asText()).as("%s /tmp is a sized emptyDir", component).isNotBlank();
            assertThat(container.path("lifecycle").path("preStop").path("exec").path("command").get(0).asText())
                    .as("%s stops taking requests before it stops", component).isEqualTo("sleep");
            assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThan(0);
            assertThat(render.environment(container)).as("%s's JVM options", component).containsKey("JAVA_OPTS");
        });
    }

    // ------------------------------------------------------------------------------- references

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void everySecretAndConfigMapReferenceNamesOneTheRenderHasOrTheOperatorGave(Scenario scenario) {
        Rendered render = HelmChart.render(scenario);
        render.workloads().forEach(workload -> {
            workload.allContainers().forEach(container -> {
                String what = workload + " container " + container.path("name").asText();
                for (JsonNode variable : container.path("env")) {
                    JsonNode from = variable.path("valueFrom");
                    if (from.has("secretKeyRef")) {
                        assertSecretKey(render, scenario, from.path("secretKeyRef").path("name").asText(),
                                from.path("secretKeyRef").path("key").asText(), what + " env " + variable.path("name").asText());
                    } else if (from.has("configMapKeyRef")) {
                        JsonNode map = render.get("ConfigMap", from.path("configMapKeyRef").path("name").asText());
                        assertThat(map.path("data").has(from.path("configMapKeyRef").path("key").asText())).as(what).isTrue();
                    } else if (from.has("fieldRef")) {
                        assertThat(from.path("fieldRef").path("fieldPath").asText()).as(what).isEqualTo("metadata.name");
                    } else if (!from.isMissingNode()) {
                        fail("%s: unexpected valueFrom %s", what, from);
                    }
                }
                for (JsonNode source : container.path("envFrom")) {
                    assertThat(render.has("ConfigMap", source.path("configMapRef").path("name").asText()))
                            .as("%s envFrom %s names a rendered ConfigMap", what, source).isTrue();
                }
            });
            for (JsonNode volume : workload.podSpec().path("volumes")) {
                if (volume.has("secret")) {
                    String name = volume.path("secret").path("secretName").asText();
                    assertThat(render.has("Secret", name) || scenario.externalSecrets().contains(name))
                            .as("%s volume %s: Secret %s", workload, volume.path("name").asText(), name).isTrue();
                } else if (volume.has("configMap")) {
                    assertThat(render.has("ConfigMap", volume.path("configMap").path("name").asText())).as("%s", workload).isTrue();
                } else if (volume.has("persistentVolumeClaim")) {
                    assertThat(render.has("PersistentVolumeClaim", volume.path("persistentVolumeClaim").path("claimName").asText()))
                            .as("%s claim", workload).isTrue();
                }
            }
            for (JsonNode pullSecret : workload.podSpec().path("imagePullSecrets")) {
                assertThat(scenario.externalSecrets()).as("%s image pull secret", workload).contains(pullSecret.path("name").asText());
            }
        });
        render.ofKind("Ingress").forEach(ingress -> ingress.path("spec").path("tls").forEach(tls ->
                assertThat(scenario.externalSecrets()).contains(tls.path("secretName").asText())));
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void everyServiceAddressNamesARenderedServiceOrTheExternalAddressFromValues(Scenario scenario) {
        Rendered render = HelmChart.render(scenario);
        Map<String, Set<String>> seen = new LinkedHashMap<>();
        Rendered.SERVICES.keySet().forEach(component -> {
            JsonNode container = render.service(component).mainContainer();
            Map<String, String> environment = render.environment(container);
            environment.forEach((name, value) -> {
                if (name.startsWith("AEGIS_SERVICES_") && !name.equals("AEGIS_SERVICES_CATALOG_TTL")) {
                    URI url = URI.create(value);
                    assertThat(url.getScheme()).isEqualTo("http");
                    assertServiceOrExternal(render, scenario, url.getHost(), url.getPort(), component + " " + name);
                    seen.computeIfAbsent(component, c -> new TreeSet<>()).add(name);
                } else if (name.equals("KAFKA_BOOTSTRAP_SERVERS")) {
                    for (String server : value.split(",")) {
                        String[] hostPort = server.split(":");
                        assertServiceOrExternal(render, scenario, hostPort[0], Integer.parseInt(hostPort[1]), component + " " + name);
                    }
                    seen.computeIfAbsent(component, c -> new TreeSet<>()).add(name);
                } else if (name.equals("AEGIS_DB_HOST")) {
                    assertServiceOrExternal(render, scenario, value, Integer.parseInt(environment.get("AEGIS_DB_PORT")), component + " " + name);
                    seen.computeIfAbsent(component, c -> new TreeSet<>()).add(name);
                }
            });
            Rendered.envEntry(container, "AEGIS_REDIS_URL").ifPresent(variable -> {
                String url = variable.has("value") ? variable.path("value").asText() : secretValue(render, variable.path("valueFrom").path("secretKeyRef"));
                if (url != null) {
                    URI redis = URI.create(url);
                    assertServiceOrExternal(render, scenario, redis.getHost(), redis.getPort(), component + " AEGIS_REDIS_URL");
                }
                seen.computeIfAbsent(component, c -> new TreeSet<>()).add("AEGIS_REDIS_URL");
            });
        });
        // who calls whom: the gateway every service and Redis, never Kafka or PostgreSQL; and so on
        assertThat(seen.get("gateway-service")).containsExactlyInAnyOrder(
                "AEGIS_SERVICES_JOB", "AEGIS_SERVICES_WORKER", "AEGIS_SERVICES_ARTIFACT", "AEGIS_SERVICES_LOG_STREAM", "AEGIS_REDIS_URL");
        assertThat(seen.get("job-service")).containsExactlyInAnyOrder("KAFKA_BOOTSTRAP_SERVERS", "AEGIS_DB_HOST");
        assertThat(seen.get("pipeline-worker")).containsExactlyInAnyOrder("KAFKA_BOOTSTRAP_SERVERS");
        assertThat(seen.get("artifact-service")).containsExactlyInAnyOrder("KAFKA_BOOTSTRAP_SERVERS", "AEGIS_DB_HOST", "AEGIS_SERVICES_JOB");
        assertThat(seen.get("log-stream-service")).containsExactlyInAnyOrder("KAFKA_BOOTSTRAP_SERVERS", "AEGIS_REDIS_URL", "AEGIS_SERVICES_JOB");
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void secretsReachOnlyTheServicesThatNeedThem(Scenario scenario) {
        // the variables a Secret may fill, and the components that may have them
        Map<String, Set<String>> allowed = Map.ofEntries(
                Map.entry("AEGIS_IDENTITY_TOKEN_SECRET", Set.of("gateway-service", "tests")),
                Map.entry("AEGIS_INTERNAL_KEY", Rendered.SERVICES.keySet()),
                Map.entry("AEGIS_DB_USER", Set.of("job-service", "artifact-service")),
                Map.entry("AEGIS_DB_PASSWORD", Set.of("job-service", "artifact-service")),
                Map.entry("POSTGRES_USER", Set.of("postgresql")),
                Map.entry("POSTGRES_PASSWORD", Set.of("postgresql")),
                Map.entry("AEGIS_REDIS_URL", Set.of("gateway-service", "log-stream-service")),
                Map.entry("REDIS_PASSWORD", Set.of("redis")),
                Map.entry("REDISCLI_AUTH", Set.of("redis")),
                Map.entry("KAFKA_SASL_JAAS_CONFIG", KAFKA_CLIENTS),
                Map.entry("SASL_JAAS_CONFIG", Set.of("kafka-topics")));
        Rendered render = HelmChart.render(scenario);
        render.workloads().forEach(workload -> {
            workload.allContainers().forEach(container -> container.path("env").forEach(variable -> {
                if (variable.path("valueFrom").has("secretKeyRef")) {
                    String name = variable.path("name").asText();
                    assertThat(allowed).as("%s: %s comes from a Secret", workload, name).containsKey(name);
                    assertThat(allowed.get(name)).as("%s may not have %s", workload, name).contains(workload.component());
                }
            }));
            workload.volume("kafka-ca").ifPresent(volume ->
                    assertThat(Set.of("job-service", "pipeline-worker", "artifact-service", "log-stream-service", "kafka-topics"))
                            .as("%s mounts Kafka's CA", workload).contains(workload.component()));
        });
        // and each service that needs one has it
        assertThat(Rendered.envEntry(render.service("gateway-service").mainContainer(), "AEGIS_IDENTITY_TOKEN_SECRET")).isPresent();
        for (String component : Rendered.SERVICES.keySet()) {
            assertThat(Rendered.envEntry(render.service(component).mainContainer(), "AEGIS_INTERNAL_KEY")).as(component)
                    .isPresent();
            assertThat(render.environment(render.service(component).mainContainer())).as(component)
                    .containsEntry("QUARKUS_HTTP_HOST", "0.0.0.0");
        }
        for (String component : List.of("job-service", "artifact-service")) {
            assertThat(Rendered.envEntry(render.service(component).mainContainer(), "AEGIS_DB_PASSWORD")).as(component).isPresent();
        }
        if (scenario == Scenario.KAFKA_SASL_TLS) {
            for (String component : KAFKA_CLIENTS) {
                JsonNode container = render.service(component).mainContainer();
                assertThat(Rendered.envEntry(container, "KAFKA_SASL_JAAS_CONFIG")).as(component).isPresent();
                assertThat(render.environment(container)).as(component)
                        .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                        .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                        .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");
            }
        }
    }

    // ------------------------------------------------------------------------------- the API

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void onlyTheWorkerAndLogStreamHaveRolesAndMountedTokens(Scenario scenario) {
        Rendered render = HelmChart.render(scenario);
        boolean roles = scenario != Scenario.LOCAL_EXECUTOR;
        Set<String> withApiAccess = roles ? Set.of("pipeline-worker", "log-stream-service") : Set.of();

        render.workloads().forEach(workload -> {
            JsonNode automount = workload.podSpec().path("automountServiceAccountToken");
            assertThat(automount.isBoolean()).as("%s says whether it mounts a token", workload).isTrue();
            boolean expected = withApiAccess.contains(workload.component()) && !workload.kind().equals("Pod") && !workload.kind().equals("Job");
            assertThat(automount.asBoolean()).as("%s mounts a token", workload).isEqualTo(expected);
        });
        render.ofKind("ServiceAccount").forEach(account ->
                assertThat(account.path("automountServiceAccountToken").asBoolean(true)).as("ServiceAccount %s", Rendered.name(account))
                        .isEqualTo(withApiAccess.contains(Rendered.component(account))));
        Rendered.SERVICES.keySet().forEach(component -> assertThat(render.service(component).podSpec().path("serviceAccountName").asText())
                .as("%s has a ServiceAccount of its own", component).isEqualTo("aegis-" + component));

        assertThat(render.ofKind("ClusterRole").count() + render.ofKind("ClusterRoleBinding").count()).isZero();
        assertThat(render.ofKind("Role").map(Rendered::component).collect(Collectors.toSet())).isEqualTo(withApiAccess);
        render.ofKind("RoleBinding").forEach(binding -> {
            assertThat(binding.path("roleRef").path("name").asText()).isEqualTo(Rendered.name(binding));
            assertThat(binding.path("subjects")).singleElement().satisfies(subject ->
                    assertThat(subject.path("name").asText()).isEqualTo("aegis-" + Rendered.component(binding)));
        });
        if (roles) {
            // what the executor and the pod-log follower call (their own tests record the calls and
            // hold these Roles to them), and nothing else
            assertThat(rules(render.get("Role", "aegis-pipeline-worker"))).containsExactlyInAnyOrder(
                    "batch/jobs: create delete list watch", "/pods: list watch", "/pods/log: get");
            assertThat(rules(render.get("Role", "aegis-log-stream-service"))).containsExactlyInAnyOrder(
                    "/pods: list watch", "/pods/log: get");
            // the tool pods get an identity of their own, without a token
            JsonNode tools = render.get("ServiceAccount", "aegis-tools");
            assertThat(tools.path("automountServiceAccountToken").asBoolean(true)).isFalse();
            assertThat(render.environment(render.service("pipeline-worker").mainContainer()))
                    .containsEntry("AEGIS_WORKER_EXECUTOR", "kubernetes")
                    .containsEntry("AEGIS_WORKER_KUBERNETES_SERVICE_ACCOUNT", "aegis-tools")
                    .containsEntry("AEGIS_WORKER_KUBERNETES_NAMESPACE", HelmChart.NAMESPACE);
            assertThat(render.environment(render.service("log-stream-service").mainContainer()))
                    .containsEntry("AEGIS_LOG_STREAM_KUBERNETES_ENABLED", "true")
                    .containsEntry("AEGIS_LOG_STREAM_KUBERNETES_NAMESPACE", HelmChart.NAMESPACE);
        } else {
            assertThat(render.environment(render.service("pipeline-worker").mainContainer()))
                    .containsEntry("AEGIS_WORKER_EXECUTOR", "local")
                    .doesNotContainKey("AEGIS_WORKER_KUBERNETES_IMAGE");
            assertThat(render.environment(render.service("log-stream-service").mainContainer()))
                    .containsEntry("AEGIS_LOG_STREAM_KUBERNETES_ENABLED", "false");
        }
    }

    // ------------------------------------------------------------------------------- the network

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void onlyTheGatewayTakesTrafficFromAnywhere(Scenario scenario) {
        Rendered render = HelmChart.render(scenario);
        Map<String, Set<String>> callers = new HashMap<>(Map.of(
                "job-service", Set.of("gateway-service", "artifact-service", "log-stream-service"),
                "pipeline-worker", Set.of("gateway-service"),
                "artifact-service", Set.of("gateway-service"),
                "log-stream-service", Set.of("gateway-service")));
        if (scenario == Scenario.DEV) {
            callers.put("kafka", Set.of("job-service", "pipeline-worker", "artifact-service", "log-stream-service", "kafka-topics"));
            callers.put("postgresql", Set.of("job-service", "artifact-service"));
            callers.put("redis", Set.of("gateway-service", "log-stream-service"));
        }
        Set<String> fromAnywhere = new HashSet<>();
        Map<String, Set<String>> allowedPeers = new HashMap<>();
        render.ofKind("NetworkPolicy").forEach(policy -> {
            String target = policy.path("spec").path("podSelector").path("matchLabels").path("app.kubernetes.io/component").asText();
            for (JsonNode rule : policy.path("spec").path("ingress")) {
                if (MetricsChartTest.scrapeRule(rule)) {
                    continue; // the scraper's, to the management port alone: MetricsChartTest
                }
                if (!rule.has("from") || rule.path("from").isEmpty()) {
                    fromAnywhere.add(target);
                }
                for (JsonNode peer : rule.path("from")) {
                    String component = peer.path("podSelector").path("matchLabels").path("app.kubernetes.io/component").asText();
                    allowedPeers.computeIfAbsent(target, t -> new TreeSet<>()).add(component.isEmpty() ? "<" + peer + ">" : component);
                }
            }
        });
        assertThat(fromAnywhere).as("targets that take traffic from anywhere")
                .isEqualTo(scenario == Scenario.KAFKA_SASL_TLS ? Set.of() : Set.of("gateway-service"));
        callers.forEach((target, expected) -> assertThat(allowedPeers.get(target)).as("who may reach %s", target).isEqualTo(expected));
        if (scenario == Scenario.KAFKA_SASL_TLS) {
            // behind the ingress controller: its namespace, and the helm test pod
            assertThat(allowedPeers.get("gateway-service")).hasSize(2).contains("tests");
        }
        // every service is behind a policy
        Rendered.SERVICES.keySet().forEach(component -> assertThat(render.ofKind("NetworkPolicy")
                .anyMatch(p -> component.equals(p.path("spec").path("podSelector").path("matchLabels").path("app.kubernetes.io/component").asText())))
                .as("a NetworkPolicy selects %s", component).isTrue());
        if (scenario != Scenario.LOCAL_EXECUTOR) {
            JsonNode tools = render.get("NetworkPolicy", "aegis-tools");
            assertThat(texts(tools.path("spec").path("policyTypes"))).containsExactlyInAnyOrder("Ingress", "Egress");
            assertThat(tools.path("spec").has("ingress") || tools.path("spec").has("egress")).as("tool pods: no traffic either way").isFalse();
        }
    }

    // ------------------------------------------------------------------------------- Kafka topics

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void theTopicsJobCreatesExactlyTheTopicsOfTopicsJsonWithTheValuesPartitions(Scenario scenario) throws IOException {
        JsonNode definition = new JsonMapper().readTree(HelmChart.file("files/topics.json").toFile());
        Map<String, String> policies = new LinkedHashMap<>();
        definition.path("topics").forEach(t -> policies.put(t.path("name").asText(), t.path("cleanupPolicy").asText()));
        // a topic's own retention (the dead letters') wins over the values' retention of the others
        Map<String, String> retention = new LinkedHashMap<>();
        definition.path("topics").forEach(t -> retention.put(t.path("name").asText(),
                t.has("retentionMs") ? t.path("retentionMs").asText() : "604800000"));
        int replication = scenario == Scenario.DEV ? 1 : 3;

        JsonNode job = HelmChart.render(scenario).get("Job", "aegis-kafka-topics");
        JsonNode annotations = job.path("metadata").path("annotations");
        assertThat(annotations.path("helm.sh/hook").asText())
                .isEqualTo(scenario == Scenario.DEV ? "post-install,post-upgrade" : "pre-install,pre-upgrade");
        assertThat(annotations.path("helm.sh/hook-delete-policy").asText()).isEqualTo("before-hook-creation,hook-succeeded");
        JsonNode container = job.path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(container.path("image").asText()).isEqualTo("apache/kafka:4.1.2");
        String script = container.path("command").get(2).asText();

        Pattern create = Pattern.compile("(?m)^topics --create --if-not-exists --topic (\\S+) --partitions (\\d+) --replication-factor (\\d+)((?: --config \\S+)*)$");
        Map<String, Map<String, String>> created = new LinkedHashMap<>();
        Matcher matcher = create.matcher(script);
        while (matcher.find()) {
            assertThat(matcher.group(2)).as("partitions of %s", matcher.group(1)).isEqualTo("3");
            assertThat(matcher.group(3)).as("replication of %s", matcher.group(1)).isEqualTo(String.valueOf(replication));
            Map<String, String> configs = new LinkedHashMap<>();
            for (String config : matcher.group(4).trim().split("\\s*--config\\s+")) {
                if (!config.isBlank()) {
                    configs.put(config.substring(0, config.indexOf('=')), config.substring(config.indexOf('=') + 1));
                }
            }
            created.put(matcher.group(1), configs);
        }
        assertThat(created.keySet()).as("the topics created").containsExactlyElementsOf(policies.keySet());
        created.forEach((topic, configs) -> {
            assertThat(configs).as(topic).containsEntry("cleanup.policy", policies.get(topic));
            if (policies.get(topic).equals("delete")) {
                assertThat(configs).as(topic).containsEntry("retention.ms", retention.get(topic));
            } else {
                assertThat(configs).as(topic).doesNotContainKey("retention.ms");
            }
            if (scenario == Scenario.KAFKA_SASL_TLS) {
                assertThat(configs).as(topic).containsEntry("min.insync.replicas", "2");
            }
            // an existing topic gets the same configs again
            assertThat(script).contains("configs --alter --entity-type topics --entity-name " + topic + " --add-config "
                    + configs.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
        });
    }

    // ------------------------------------------------------------------------------- workloads

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void logStreamServiceIsAStatefulSetThatNamesItsInstanceAfterItsPod(Scenario scenario) {
        Rendered render = HelmChart.render(scenario);
        Workload logStream = render.service("log-stream-service");
        assertThat(logStream.kind()).isEqualTo("StatefulSet");
        JsonNode spec = logStream.object().path("spec");
        JsonNode governing = render.get("Service", spec.path("serviceName").asText());
        assertThat(governing.path("spec").path("clusterIP").asText()).isEqualTo("None");
        assertThat(governing.path("spec").path("selector")).isEqualTo(spec.path("selector").path("matchLabels"));
        assertThat(render.get("Service", "aegis-log-stream-service").path("spec").path("clusterIP").asText()).isNotEqualTo("None");
        assertThat(Rendered.envEntry(logStream.mainContainer(), "AEGIS_LOG_STREAM_INSTANCE").orElseThrow()
                .path("valueFrom").path("fieldRef").path("fieldPath").asText()).isEqualTo("metadata.name");
        assertThat(render.ofKind("HorizontalPodAutoscaler").map(h -> h.path("spec").path("scaleTargetRef").path("kind").asText()))
                .doesNotContain("StatefulSet");

        for (String component : List.of("gateway-service", "job-service", "pipeline-worker", "artifact-service")) {
            Workload workload = render.service(component);
            assertThat(workload.kind()).as(component).isEqualTo("Deployment");
            JsonNode strategy = workload.object().path("spec").path("strategy");
            assertThat(strategy.path("rollingUpdate").path("maxUnavailable").asInt(-1)).as(component).isZero();
            assertThat(strategy.path("rollingUpdate").path("maxSurge").asInt()).as(component).isEqualTo(1);
            boolean scaled = render.ofKind("HorizontalPodAutoscaler")
                    .anyMatch(h -> h.path("spec").path("scaleTargetRef").path("name").asText().equals(workload.name()));
            assertThat(workload.object().path("spec").has("replicas")).as("%s: replicas, unless an autoscaler sets them", component)
                    .isEqualTo(!scaled);
        }
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void everyKafkaConsumingDeploymentNamesItsStaticMembershipAfterItsPod(Scenario scenario) {
        Rendered render = HelmChart.render(scenario);
        // a pod keeps its name across container restarts and no two pods share one: the replica's
        // group.instance.id is restart-stable and distinct between replicas
        for (String component : List.of("job-service", "pipeline-worker", "artifact-service")) {
            assertThat(Rendered.envEntry(render.service(component).mainContainer(), "AEGIS_INSTANCE").orElseThrow()
                    .path("valueFrom").path("fieldRef").path("fieldPath").asText()).as(component).isEqualTo("metadata.name");
        }
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void everyServiceHasADisruptionBudgetAndSpreadsOverZonesAndNodes(Scenario scenario) {
        Rendered render = HelmChart.render(scenario);
        Rendered.SERVICES.keySet().forEach(component -> {
            Workload workload = render.service(component);
            JsonNode selector = workload.object().path("spec").path("selector").path("matchLabels");
            JsonNode budget = render.get("PodDisruptionBudget", "aegis-" + component);
            assertThat(budget.path("spec").path("selector").path("matchLabels")).as(component).isEqualTo(selector);
            assertThat(budget.path("spec").path("maxUnavailable").asInt()).as(component).isEqualTo(1);
            List<JsonNode> spread = StreamSupport.stream(workload.podSpec().path("topologySpreadConstraints").spliterator(), false).toList();
            assertThat(spread).extracting(c -> c.path("topologyKey").asText())
                    .containsExactlyInAnyOrder("topology.kubernetes.io/zone", "kubernetes.io/hostname");
            assertThat(spread).allSatisfy(c -> {
                assertThat(c.path("whenUnsatisfiable").asText()).isEqualTo("ScheduleAnyway");
                assertThat(c.path("labelSelector").path("matchLabels")).isEqualTo(selector);
            });
            // the pods carry their selector's labels
            JsonNode podLabels = workload.object().path("spec").path("template").path("metadata").path("labels");
            selector.fields().forEachRemaining(label -> assertThat(podLabels.path(label.getKey())).isEqualTo(label.getValue()));
        });
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void theStoreIsOneClaimMountedAtTheSamePathWhereverItIsUsed(Scenario scenario) {
        Rendered render = HelmChart.render(scenario);
        JsonNode claim = render.get("PersistentVolumeClaim", "aegis-store");
        assertThat(texts(claim.path("spec").path("accessModes")))
                .containsExactly(scenario == Scenario.DEV ? "ReadWriteOnce" : "ReadWriteMany");
        for (String component : List.of("job-service", "pipeline-worker", "artifact-service")) {
            Workload workload = render.service(component);
            String root = render.environment(workload.mainContainer()).get("AEGIS_STORE_ROOT");
            assertThat(root).as(component).isEqualTo("/var/lib/aegis/store");
            assertThat(workload.volume("store").orElseThrow().path("persistentVolumeClaim").path("claimName").asText()).isEqualTo("aegis-store");
            workload.allContainers().forEach(container -> container.path("volumeMounts").forEach(mount -> {
                if (mount.path("name").asText().equals("store")) {
                    assertThat(mount.path("mountPath").asText()).as("%s mounts the store at the store root", component).isEqualTo(root);
                }
            }));
        }
        for (String component : List.of("gateway-service", "log-stream-service")) {
            assertThat(render.service(component).volume("store")).as("%s has no business with the store", component).isEmpty();
        }
        Workload worker = render.service("pipeline-worker");
        Map<String, String> environment = render.environment(worker.mainContainer());
        assertThat(environment.get("AEGIS_DATABASES_SOURCE_DIR")).isEqualTo("/var/lib/aegis/store/database-sources");
        if (scenario != Scenario.LOCAL_EXECUTOR) {
            // the tool pods mount the same claim at the same path
            assertThat(environment).containsEntry("AEGIS_WORKER_KUBERNETES_STORE_CLAIM", "aegis-store")
                    .containsEntry("AEGIS_WORKER_KUBERNETES_IMAGE", scenario == Scenario.DEV
                            ? "localhost/aegis/blast:2.16.0" : "localhost:5000/aegis/blast:2.16.0");
        }
        List<String> seeding = worker.initContainers().map(c -> c.path("name").asText()).toList();
        assertThat(seeding).isEqualTo(scenario == Scenario.DEV ? List.of("seed-databases") : List.of());
    }

    @Test
    void aChangedSettingRollsOnlyItsService() {
        Rendered before = HelmChart.render(Scenario.PRODUCTION);
        Rendered after = Rendered.parse(HelmChart.template(HelmChart.NAMESPACE, Scenario.PRODUCTION.valuesFiles(),
                Map.of("jobService.env.AEGIS_RETENTION_TTL", "48h")));
        Rendered.SERVICES.keySet().forEach(component -> {
            String old = checksum(before.service(component));
            String now = checksum(after.service(component));
            assertThat(old).as("%s has a config checksum", component).matches("[0-9a-f]{64}");
            if (component.equals("job-service")) {
                assertThat(now).as("job-service rolls").isNotEqualTo(old);
            } else {
                assertThat(now).as("%s does not roll", component).isEqualTo(old);
            }
        });
        assertThat(after.get("ConfigMap", "aegis-job-service").path("data").path("AEGIS_RETENTION_TTL").asText()).isEqualTo("48h");
    }

    @Test
    void tracingSendsEveryServicesSpansToTheCollectorAndLogsAreJson() {
        Rendered off = HelmChart.render(Scenario.PRODUCTION);
        Rendered on = Rendered.parse(HelmChart.template(HelmChart.NAMESPACE, Scenario.PRODUCTION.valuesFiles(),
                Map.of("tracing.enabled", "true", "tracing.endpoint", "http://otel-collector.observability:4318")));
        Rendered.SERVICES.keySet().forEach(component -> {
            JsonNode quiet = off.get("ConfigMap", "aegis-" + component).path("data");
            assertThat(quiet.has("QUARKUS_OTEL_SDK_DISABLED")).as("%s sends no traces by default", component).isFalse();
            assertThat(quiet.path("QUARKUS_LOG_CONSOLE_JSON_ENABLED").asText()).as(component).isEqualTo("true");
            JsonNode traced = on.get("ConfigMap", "aegis-" + component).path("data");
            assertThat(traced.path("QUARKUS_OTEL_SDK_DISABLED").asText()).as(component).isEqualTo("false");
            assertThat(traced.path("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").asText())
                    .isEqualTo("http://otel-collector.observability:4318");
            assertThat(traced.path("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL").asText()).isEqualTo("http/protobuf");
            assertThat(Double.parseDouble(traced.path("QUARKUS_OTEL_TRACES_SAMPLER_ARG").asText())).as("every trace kept")
                    .isEqualTo(1.0);
            assertThat(traced.path("QUARKUS_OTEL_RESOURCE_ATTRIBUTES").asText()).isEqualTo("service.namespace=" + HelmChart.NAMESPACE);
        });
    }

    // ------------------------------------------------------------------------------- the way in

    @Test
    void theIngressKeepsServerSentEventsFlowing() {
        Rendered render = HelmChart.render(Scenario.KAFKA_SASL_TLS);
        JsonNode ingress = render.get("Ingress", "aegis-gateway-service");
        JsonNode annotations = ingress.path("metadata").path("annotations");
        assertThat(annotations.path("nginx.ingress.kubernetes.io/proxy-buffering").asText()).isEqualTo("off");
        assertThat(annotations.path("nginx.ingress.kubernetes.io/proxy-body-size").asText()).isEqualTo("16m");
        for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
            assertThat(Integer.parseInt(annotations.path("nginx.ingress.kubernetes.io/" + timeout).asText()))
                    .as("%s beyond a stream's 30 minutes", timeout).isGreaterThan(1800);
        }
        JsonNode rule = ingress.path("spec").path("rules").get(0);
        assertThat(rule.path("host").asText()).isEqualTo("aegis.lab.example");
        JsonNode backend = rule.path("http").path("paths").get(0).path("backend").path("service");
        assertThat(backend.path("name").asText()).isEqualTo("aegis-gateway-service");
        assertThat(render.get("Service", backend.path("name").asText()).path("spec").path("ports").get(0).path("name").asText())
                .isEqualTo(backend.path("port").path("name").asText());
        assertThat(ingress.path("spec").path("tls").get(0).path("hosts").get(0).asText()).isEqualTo("aegis.lab.example");
        assertThat(HelmChart.render(Scenario.PRODUCTION).ofKind("Ingress")).as("no Ingress unless asked").isEmpty();
    }

    @Test
    void theHelmTestSubmitsThroughTheGatewayWithATokenSignedByItsKey() {
        JsonNode pod = HelmChart.render(Scenario.PRODUCTION).get("Pod", "aegis-test-submit-job");
        assertThat(pod.path("metadata").path("annotations").path("helm.sh/hook").asText()).isEqualTo("test");
        JsonNode container = pod.path("spec").path("containers").get(0);
        Map<String, JsonNode> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        assertThat(env.get("GATEWAY_URL").path("value").asText()).isEqualTo("http://aegis-gateway-service:8080");
        assertThat(env.get("AEGIS_IDENTITY_TOKEN_SECRET").path("valueFrom").path("secretKeyRef").path("name").asText()).isEqualTo("aegis-identity");
        String script = container.path("command").get(2).asText();
        assertThat(script).contains("/api/v1/jobs", "\"pipeline\":\"blast\"", "\"program\":\"blastp\"", "SUCCEEDED", "FAILED|CANCELLED",
                "openssl dgst -sha256 -mac HMAC");
    }

    // ------------------------------------------------------------------------------- labels, names, images

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void everyObjectCarriesTheRecommendedLabelsAndAValidName(Scenario scenario) {
        HelmChart.render(scenario).objects().forEach(object -> {
            String what = object.path("kind").asText() + " " + Rendered.name(object);
            JsonNode labels = object.path("metadata").path("labels");
            for (String label : List.of("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version",
                    "app.kubernetes.io/managed-by", "app.kubernetes.io/component", "app.kubernetes.io/part-of", "helm.sh/chart")) {
                assertThat(labels.path(label).asText()).as("%s label %s", what, label).isNotBlank();
            }
            assertThat(Rendered.name(object)).as(what).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").hasSizeLessThanOrEqualTo(63);
        });
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void everyImageIsAShortNameOrUnderTheRegistryFromValues(Scenario scenario) {
        Rendered render = HelmChart.render(scenario);
        String registry = scenario == Scenario.DEV ? "localhost/" : "localhost:5000/";
        render.workloads().flatMap(Workload::allContainers).map(c -> c.path("image").asText()).forEach(image -> {
            assertThat(image).as("an image with a tag").matches("[^:\\s]+(:[0-9]+)?/?[^:\\s]*:[^:\\s/]+");
            if (image.contains("aegis/")) {
                assertThat(image).startsWith(registry + "aegis/").endsWith(":" + HelmChart.appVersion());
            } else if (image.contains("/")) {
                // anything else is a short name: the chart names no registry host of its own
                assertThat(image.substring(0, image.indexOf('/'))).as(image).doesNotContain(".").doesNotContain(":");
            }
        });
        // the tool image the worker's Jobs run, tagged with its BLAST+ version
        String tools = render.environment(render.service("pipeline-worker").mainContainer()).get("AEGIS_WORKER_KUBERNETES_IMAGE");
        assertThat(tools).isEqualTo(scenario == Scenario.LOCAL_EXECUTOR ? null : registry + "aegis/blast:2.16.0");
    }

    @Test
    void theChartInstallsTheImagesOfThisVersionAsTheImageBuildTagsThem() throws IOException {
        // deploy/images/build tags every service image with the root pom's own version
        String pom = Files.readString(HelmChart.SOURCE.resolve("../../pom.xml").normalize())
                .replaceAll("(?s)<parent>.*?</parent>", "");
        java.util.regex.Matcher version = java.util.regex.Pattern.compile("<version>([^<]+)</version>").matcher(pom);
        assertThat(version.find()).isTrue();
        assertThat(HelmChart.appVersion()).isEqualTo(version.group(1));
    }

    // ------------------------------------------------------------------------------- helpers

    private static void assertHttpProbe(String component, JsonNode container, String probe, String path, int port) {
        JsonNode get = container.path(probe).path("httpGet");
        assertThat(get.path("path").asText()).as("%s %s path", component, probe).isEqualTo(path);
        assertThat(get.path("port").asInt()).as("%s %s port", component, probe).isEqualTo(port);
    }

    private static int containerPort(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (name.equals(port.path("name").asText())) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError(container.path("name").asText() + " has no port " + name);
    }

    private static void assertSecretKey(Rendered render, Scenario scenario, String name, String key, String what) {
        if (scenario.externalSecrets().contains(name)) {
            assertThat(render.has("Secret", name)).as("%s: the operator's Secret %s is not rendered too", what, name).isFalse();
            return;
        }
        JsonNode secret = render.find("Secret", name).orElseThrow(() -> new AssertionError(what + ": no Secret " + name));
        assertThat(secret.path("data").has(key) || secret.path("stringData").has(key)).as("%s: Secret %s has key %s", what, name, key).isTrue();
    }

    private static void assertServiceOrExternal(Rendered render, Scenario scenario, String host, int port, String what) {
        if (scenario.externalAddresses().contains(host + ":" + port)) {
            return;
        }
        JsonNode service = render.find("Service", host).orElseThrow(() ->
                new AssertionError(what + ": " + host + ":" + port + " is neither a rendered Service nor an external address of the values"));
        assertThat(StreamSupport.stream(service.path("spec").path("ports").spliterator(), false).map(p -> p.path("port").asInt()))
                .as("%s: Service %s exposes port %d", what, host, port).contains(port);
    }

    /** The value of a rendered Secret's key (null for an operator's Secret). */
    private static String secretValue(Rendered render, JsonNode reference) {
        return render.find("Secret", reference.path("name").asText())
                .map(secret -> new String(Base64.getDecoder().decode(secret.path("data").path(reference.path("key").asText()).asText())))
                .orElse(null);
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static List<String> rules(JsonNode role) {
        return StreamSupport.stream(role.path("rules").spliterator(), false).flatMap(rule ->
                StreamSupport.stream(rule.path("apiGroups").spliterator(), false).flatMap(group ->
                        StreamSupport.stream(rule.path("resources").spliterator(), false).map(resource ->
                                group.asText() + "/" + resource.asText() + ": " + String.join(" ", new TreeSet<>(texts(rule.path("verbs")))))))
                .toList();
    }

    private static String checksum(Workload workload) {
        return workload.object().path("spec").path("template").path("metadata").path("annotations").path("checksum/config").asText();
    }
}
