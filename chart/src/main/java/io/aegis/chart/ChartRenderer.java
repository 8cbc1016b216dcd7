package io.aegis.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code helm template} of a chart, by Helm itself (helm-java runs Helm 3 in process: no helm binary,
 * no cluster), printing what the command line prints: every object, hooks included.
 *
 * <p>helm-java's {@code template} leaves hooks out (the topics Job, the test pod). So the chart is
 * rendered from a copy whose {@code helm.sh/hook} annotations are renamed {@value #HIDDEN_HOOK}, which
 * Helm treats as an ordinary annotation, and the manifests are given back with the name restored.
 */
public final class ChartRenderer {

    static final String HOOK = "helm.sh/hook: ";
    static final String HIDDEN_HOOK = "aegis.render/hook: ";

    private final Path chart;
    private final Path copy;

    /**
     * @param chart   the chart's folder, e.g. {@code helm/aegis}
     * @param workDir where the renderable copy is kept (replaced on each use of this renderer)
     */
    public ChartRenderer(Path chart, Path workDir) {
        this.chart = chart.toAbsolutePath().normalize();
        this.copy = copyWithVisibleHooks(this.chart, workDir.toAbsolutePath().resolve(this.chart.getFileName()));
    }

    /** The manifests of release {@code release} in {@code namespace}; a failure is an exception with Helm's message. */
    public String template(String release, String namespace, List<Path> valuesFiles, Map<String, String> sets) {
        TemplateCommand command = new Helm(copy).template().withName(release).withNamespace(namespace);
        for (Path file : valuesFiles) {
            command = command.withValuesFile(file.toAbsolutePath());
        }
        for (Map.Entry<String, String> set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        return command.call().replace(HIDDEN_HOOK, HOOK);
    }

    public Path chart() {
        return chart;
    }

    private static Path copyWithVisibleHooks(Path source, Path target) {
        try {
            if (Files.exists(target)) {
                try (Stream<Path> old = Files.walk(target)) {
                    old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Path templates = source.resolve("templates");
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.toList()) {
                    Path to = target.resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(to);
                    } else if (file.startsWith(templates) && file.toString().endsWith(".yaml")) {
                        Files.writeString(to, Files.readString(file, StandardCharsets.UTF_8).replace(HOOK, HIDDEN_HOOK),
                                StandardCharsets.UTF_8);
                    } else {
                        Files.copy(file, to);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the chart " + source + " to " + target, e);
        }
    }
}
