package io.aegis.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The services' metrics in the chart: served on a management port of each service's own that no
 * Service of the public carries and the NetworkPolicies open to the scraper alone; scraped by
 * annotation or ServiceMonitor; and the alerts and the dashboard ask only for series the services
 * export.
 */
class MetricsChartTest {

    /** The management port of each service (application.properties' quarkus.management.port). */
    static final Map<String, Integer> MANAGEMENT = Map.of("gateway-service", 9080, "job-service", 9081,
            "pipeline-worker", 9082, "artifact-service", 9083, "log-stream-service", 9084);

    private static final Path REPOSITORY = HelmChart.SOURCE.getParent().getParent();
    private static final Pattern SERIES = Pattern.compile("\\b(aegis_[a-z_]+|kafka_consumer_[a-z_]+|http_server_[a-z_]+|jvm_[a-z_]+)");

    /** Whether a NetworkPolicy ingress rule is the scraper's: it opens a management port, and only that. */
    static boolean scrapeRule(JsonNode rule) {
        List<JsonNode> ports = StreamSupport.stream(rule.path("ports").spliterator(), false).toList();
        return !ports.isEmpty() && ports.stream().allMatch(p -> MANAGEMENT.containsValue(p.path("port").asInt()));
    }

    private static Rendered withEverything() {
        return Rendered.parse(HelmChart.template(HelmChart.NAMESPACE, List.of(HelmChart.testValues("production.yaml")),
                Map.of("metrics.serviceMonitor.enabled", "true", "metrics.prometheusRule.enabled", "true",
                        "metrics.dashboard.enabled", "true")));
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void everyServiceServesMetricsOnItsOwnManagementPortAndIsAnnotatedForScraping(Scenario scenario) {
        Rendered render = HelmChart.render(scenario);
        MANAGEMENT.forEach((component, port) -> {
            Rendered.Workload workload = render.service(component);
            JsonNode container = workload.mainContainer();
            assertThat(StreamSupport.stream(container.path("ports").spliterator(), false)
                    .filter(p -> "metrics".equals(p.path("name").asText())).map(p -> p.path("containerPort").asInt()))
                    .as("%s's metrics port", component).containsExactly(port);
            Map<String, String> environment = render.environment(container);
            assertThat(environment).as("%s's environment", component)
                    .containsEntry("QUARKUS_MANAGEMENT_PORT", port.toString())
                    .containsEntry("QUARKUS_MANAGEMENT_HOST", "0.0.0.0");
            JsonNode annotations = workload.object().path("spec").path("template").path("metadata").path("annotations");
            assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
            assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo(port.toString());
            assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/q/metrics");
        });
    }

    @Test
    void theServicesTakeTheirManagementPortsFromTheSamePlaceAsTheChart() throws IOException {
        for (Map.Entry<String, Integer> service : MANAGEMENT.entrySet()) {
            String properties = Files.readString(REPOSITORY.resolve(service.getKey()).resolve("src/main/resources/application.properties"));
            assertThat(properties).as("%s's properties", service.getKey())
                    .contains("quarkus.management.enabled=true", "quarkus.management.port=" + service.getValue(),
                            // the probes' paths stay on the service's port
                            "quarkus.smallrye-health.management.enabled=false");
        }
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void theManagementPortsAreOpenOnlyToTheScraperAndOnNoPublicService(Scenario scenario) {
        Rendered render = HelmChart.render(scenario);
        MANAGEMENT.forEach((component, port) -> {
            JsonNode policy = render.ofKind("NetworkPolicy").filter(p -> component.equals(
                    p.path("spec").path("podSelector").path("matchLabels").path("app.kubernetes.io/component").asText()))
                    .findFirst().orElseThrow();
            List<JsonNode> rules = StreamSupport.stream(policy.path("spec").path("ingress").spliterator(), false)
                    .filter(rule -> StreamSupport.stream(rule.path("ports").spliterator(), false)
                            .anyMatch(p -> p.path("port").asInt() == port)).toList();
            assertThat(rules).as("rules opening %s's management port", component).hasSize(1);
            assertThat(scrapeRule(rules.getFirst())).isTrue();
            assertThat(rules.getFirst().path("from").toString()).as("who may scrape %s", component)
                    .isEqualTo("[{\"namespaceSelector\":{},\"podSelector\":{\"matchLabels\":{\"app.kubernetes.io/name\":\"prometheus\"}}}]");
        });
        // no Service has a management port unless a ServiceMonitor asks for its metrics-only ones
        assertThat(render.ofKind("Service").flatMap(s -> StreamSupport.stream(s.path("spec").path("ports").spliterator(), false))
                .map(p -> p.path("port").asInt())).doesNotContainAnyElementsOf(MANAGEMENT.values());
        assertThat(render.ofKind("ServiceMonitor")).isEmpty();
        assertThat(render.ofKind("PrometheusRule")).isEmpty();
    }

    @Test
    void anEmptyScraperListClosesTheManagementPorts() {
        Rendered render = Rendered.parse(HelmChart.template(HelmChart.NAMESPACE,
                List.of(HelmChart.testValues("production.yaml"), HelmChart.testValues("metrics-closed.yaml")), Map.of()));
        assertThat(render.ofKind("NetworkPolicy").flatMap(p -> StreamSupport.stream(p.path("spec").path("ingress").spliterator(), false))
                .filter(MetricsChartTest::scrapeRule)).isEmpty();
    }

    @Test
    void theServiceMonitorScrapesEachServiceThroughAMetricsOnlyClusterIpService() {
        Rendered render = withEverything();
        JsonNode monitor = render.get("ServiceMonitor", "aegis-metrics");
        JsonNode selector = monitor.path("spec").path("selector").path("matchLabels");
        JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
        assertThat(endpoint.path("port").asText()).isEqualTo("metrics");
        assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");

        List<JsonNode> selected = render.ofKind("Service").filter(service -> {
            JsonNode labels = service.path("metadata").path("labels");
            return Stream.of("app.kubernetes.io/instance", "aegis.io/metrics")
                    .allMatch(key -> labels.path(key).asText().equals(selector.path(key).asText()));
        }).toList();
        assertThat(selected).extracting(Rendered::component).containsExactlyInAnyOrderElementsOf(MANAGEMENT.keySet());
        for (JsonNode service : selected) {
            assertThat(service.path("spec").path("type").asText()).isEqualTo("ClusterIP");
            JsonNode ports = service.path("spec").path("ports");
            assertThat(ports).hasSize(1);
            assertThat(ports.get(0).path("name").asText()).isEqualTo("metrics");
            assertThat(ports.get(0).path("port").asInt()).isEqualTo(MANAGEMENT.get(Rendered.component(service)));
            assertThat(ports.get(0).path("targetPort").asText()).isEqualTo("metrics");
        }
    }

    @Test
    void theAlertsAreTheOnesTheOperatorNeedsAndAskOnlyForSeriesTheServicesExport() throws IOException {
        Rendered render = withEverything();
        JsonNode rules = render.get("PrometheusRule", "aegis-metrics").path("spec").path("groups").get(0).path("rules");
        List<String> alerts = StreamSupport.stream(rules.spliterator(), false).map(r -> r.path("alert").asText()).toList();
        assertThat(alerts).containsExactlyInAnyOrder("AegisQueueStuck", "AegisOutboxLag", "AegisFinalizationsFailing",
                "AegisFinalizationBacklog", "AegisWorkerLost", "AegisConsumerLag", "AegisDeadLetters");
        for (JsonNode rule : rules) {
            String expr = rule.path("expr").asText();
            assertThat(expr).as(rule.path("alert").asText()).contains("namespace=\"" + HelmChart.NAMESPACE + "\"");
            assertExported(series(expr), rule.path("alert").asText());
        }
    }

    @Test
    void theDashboardIsLoadedByGrafanasSidecarAndChartsOnlySeriesTheServicesExport() throws IOException {
        Rendered render = withEverything();
        JsonNode config = render.get("ConfigMap", "aegis-dashboard");
        assertThat(config.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
        JsonNode dashboard = JsonMapper.builder().build().readTree(config.path("data").path("aegis.json").asText());
        assertThat(dashboard.path("uid").asText()).isEqualTo("aegis-overview");
        Set<String> charted = new TreeSet<>();
        dashboard.findValues("expr").forEach(expr -> charted.addAll(series(expr.asText())));
        assertThat(charted).contains("aegis_jobs_submitted_total", "aegis_jobs_queued_oldest_age_seconds",
                "aegis_outbox_oldest_age_seconds", "aegis_worker_step_duration_seconds_bucket",
                "aegis_worker_tool_cpu_seconds_total", "aegis_finalizations_backlog",
                "kafka_consumer_fetch_manager_records_lag_max", "aegis_dead_letters_total");
        assertExported(charted, "the dashboard");
    }

    private static Set<String> series(String expr) {
        Set<String> found = new TreeSet<>();
        Matcher m = SERIES.matcher(expr);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /**
     * Each Aegis series is a meter some service registers: its dotted Micrometer name is in a
     * service's source, or in web-support's, which every service but the gateway counts its dead
     * letters with (aegis_jobs_queued_oldest_age_seconds is aegis.jobs.queued.oldest.age with
     * the base unit seconds). Series of Quarkus' own binders (HTTP, JVM, Kafka) are the tests' of
     * each service, which scrape them.
     */
    private static void assertExported(Set<String> series, String where) throws IOException {
        String sources = sources();
        List<String> missing = new ArrayList<>();
        for (String name : series) {
            if (!name.startsWith("aegis_")) {
                continue;
            }
            String meter = name.replaceFirst("_(bucket|count|sum)$", "").replaceFirst("_total$", "")
                    .replaceFirst("_seconds$", "").replace('_', '.');
            if (!sources.contains("\"" + meter + "\"")) {
                missing.add(name + " (" + meter + ")");
            }
        }
        assertThat(missing).as("series %s asks for that no service registers", where).isEmpty();
    }

    private static String sources() {
        try (Stream<Path> files = Stream.concat(MANAGEMENT.keySet().stream(), Stream.of("web-support"))
                .map(module -> REPOSITORY.resolve(module).resolve("src/main/java")).flatMap(MetricsChartTest::walk)) {
            return files.filter(f -> f.toString().endsWith(".java")).map(MetricsChartTest::read).collect(Collectors.joining("\n"));
        }
    }

    private static Stream<Path> walk(Path root) {
        try {
            return Files.walk(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
