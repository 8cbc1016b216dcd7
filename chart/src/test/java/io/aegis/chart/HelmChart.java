package io.aegis.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The chart under test, {@code helm/aegis}, linted and rendered by Helm itself (helm-java runs Helm 3
 * in process; no helm binary, no cluster).
 *
 * <p>Renders go through {@link ChartRenderer}, which puts the hooks back in (the topics Job, the test
 * pod). helm-java's {@code template} is not client-only for {@code lookup} (the dev credentials
 * Secret looks for the Secret of an earlier install): the build points {@code KUBECONFIG} at a file
 * this class writes for {@link FakeKubernetesApi}, so a render never reaches a real cluster.
 * {@code lint} has neither problem and runs on the chart itself; it takes no values files, so
 * linting with other values runs on a copy whose values.yaml is the merge.
 */
final class HelmChart {

    static final Path SOURCE = Path.of(System.getProperty("aegis.chart.dir", "../helm/aegis")).toAbsolutePath().normalize();
    static final String RELEASE = "aegis";
    static final String NAMESPACE = "lab";

    static final YAMLMapper YAML = new YAMLMapper();

    private static final Path WORK = Path.of(System.getProperty("java.io.tmpdir"), "chart").toAbsolutePath();
    private static final Map<Scenario, Rendered> RENDERS = new ConcurrentHashMap<>();
    private static ChartRenderer renderer;

    private HelmChart() {
    }

    /** {@code helm lint --strict} of the chart as it is. */
    static LintResult lint() {
        return new Helm(SOURCE).lint().strict().call();
    }

    /** {@code helm lint --strict --values <files…>}: on a copy whose values.yaml is the chart's merged with the files. */
    static LintResult lintWith(String name, List<Path> valuesFiles) {
        Path copy = copyChart(name);
        try {
            ObjectNode values = (ObjectNode) YAML.readTree(SOURCE.resolve("values.yaml").toFile());
            for (Path file : valuesFiles) {
                merge(values, (ObjectNode) YAML.readTree(file.toFile()));
            }
            Files.writeString(copy.resolve("values.yaml"), YAML.writeValueAsString(values));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Helm(copy).lint().strict().call();
    }

    /** The objects a scenario renders, hooks included; rendered once per test run. */
    static Rendered render(Scenario scenario) {
        return RENDERS.computeIfAbsent(scenario, s -> Rendered.parse(template(NAMESPACE, s.valuesFiles(), s.sets())));
    }

    /** The manifests {@code helm template} prints, hooks included; a failure is an exception with Helm's message. */
    static String template(String namespace, List<Path> valuesFiles, Map<String, String> sets) {
        FakeKubernetesApi.ensureRunning();
        return renderer().template(RELEASE, namespace, valuesFiles, sets);
    }

    /** The chart's appVersion, the tag of the images it installs by default. */
    static String appVersion() {
        try {
            return YAML.readTree(SOURCE.resolve("Chart.yaml").toFile()).path("appVersion").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file of the chart, e.g. values-dev.yaml or files/topics.json. */
    static Path file(String relative) {
        return SOURCE.resolve(relative);
    }

    /** A values file of this module's test resources (src/test/resources/values). */
    static Path testValues(String name) {
        return Path.of(System.getProperty("basedir", "."), "src", "test", "resources", "values", name).toAbsolutePath();
    }

    private static synchronized ChartRenderer renderer() {
        if (renderer == null) {
            renderer = new ChartRenderer(SOURCE, WORK.resolve("renderable"));
        }
        return renderer;
    }

    private static Path copyChart(String name) {
        Path target = WORK.resolve(name).resolve(SOURCE.getFileName());
        try {
            if (Files.exists(target)) {
                try (Stream<Path> old = Files.walk(target)) {
                    old.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
                }
            }
            try (Stream<Path> files = Files.walk(SOURCE)) {
                for (Path source : files.toList()) {
                    Path copy = target.resolve(SOURCE.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(source, copy);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** Helm's merge of values files: maps merge key by key, anything else is replaced. */
    private static void merge(ObjectNode into, ObjectNode from) {
        Iterator<Map.Entry<String, JsonNode>> fields = from.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = into.get(field.getKey());
            if (existing instanceof ObjectNode target && field.getValue() instanceof ObjectNode source) {
                merge(target, source);
            } else {
                into.set(field.getKey(), field.getValue());
            }
        }
    }
}
