package io.aegis.chart;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chart from the command line, for {@code ./aegis k8s}:
 * <pre>
 *   render [--chart DIR] [--release NAME] [--namespace NS] [-f VALUES]... [--set KEY=VALUE]...
 *   podman (the same) [--secret SECRET/KEY=ENV]...
 * </pre>
 * {@code render} prints the manifests as {@code helm template} does, hooks included; {@code podman}
 * prints the {@link PodmanPlay} of the render and lists on standard error what it leaves out. A
 * secret's value is read from the environment variable {@code ENV}, never taken from the command
 * line, where any user of the machine could read it.
 */
public final class ChartTool {

    static final YAMLMapper YAML = YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build();

    record Arguments(String command, Path chart, String release, String namespace, List<Path> valuesFiles,
                     Map<String, String> sets, Map<String, String> secrets) {

        static Arguments parse(String... args) {
            if (args.length == 0 || !(args[0].equals("render") || args[0].equals("podman"))) {
                throw new IllegalArgumentException(USAGE);
            }
            Path chart = Path.of("helm/aegis");
            String release = "aegis";
            String namespace = "default";
            List<Path> values = new ArrayList<>();
            Map<String, String> sets = new LinkedHashMap<>();
            Map<String, String> secrets = new LinkedHashMap<>();
            for (int i = 1; i < args.length; i++) {
                String option = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
                }
                String value = args[++i];
                switch (option) {
                    case "--chart" -> chart = Path.of(value);
                    case "--release" -> release = value;
                    case "--namespace", "-n" -> namespace = value;
                    case "-f", "--values" -> values.add(Path.of(value));
                    case "--set" -> put(sets, value, option);
                    case "--secret" -> put(secrets, value, option);
                    default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
                }
            }
            return new Arguments(args[0], chart, release, namespace, List.copyOf(values), sets, secrets);
        }

        /** The secrets' values, each from the environment variable its option named. */
        Map<String, String> secretValues(Map<String, String> environment) {
            Map<String, String> values = new LinkedHashMap<>();
            secrets.forEach((key, variable) -> {
                String value = environment.get(variable);
                if (value == null) {
                    throw new IllegalArgumentException("--secret " + key + "=" + variable + ": " + variable
                            + " is not set in the environment");
                }
                values.put(key, value);
            });
            return values;
        }

        private static void put(Map<String, String> into, String pair, String option) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(option + " takes KEY=VALUE, not " + pair);
            }
            into.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
    }

    static final String USAGE = "usage: render|podman [--chart DIR] [--release NAME] [--namespace NS] "
            + "[-f VALUES]... [--set KEY=VALUE]... [--secret SECRET/KEY=ENV]...";

    private ChartTool() {
    }

    public static void main(String[] args) {
        try {
            Arguments arguments = Arguments.parse(args);
            Path work = Files.createTempDirectory("aegis-chart-");
            String manifests;
            try {
                // a render asks nothing of a cluster: the dev credentials are generated, not looked up
                Map<String, String> sets = new LinkedHashMap<>(Map.of("dev.secrets.lookupExisting", "false"));
                sets.putAll(arguments.sets());
                manifests = new ChartRenderer(arguments.chart(), work)
                        .template(arguments.release(), arguments.namespace(), arguments.valuesFiles(), sets);
            } finally {
                deleteTree(work);
            }
            if (arguments.command().equals("render")) {
                System.out.print(manifests);
                return;
            }
            PodmanPlay.Play play = PodmanPlay.of(parse(manifests), arguments.secretValues(System.getenv()));
            System.err.println("left out (podman has no API server): " + String.join(", ", play.leftOut()));
            System.out.print(write(play.objects()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (IOException e) {
            System.err.println("Cannot render the chart: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Every object of a multi-document YAML stream, skipping empty documents. */
    static List<JsonNode> parse(String manifests) {
        List<JsonNode> objects = new ArrayList<>();
        try (JsonParser parser = YAML.createParser(manifests);
             MappingIterator<JsonNode> documents = YAML.readValues(parser, JsonNode.class)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    objects.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    static String write(List<ObjectNode> objects) {
        StringBuilder out = new StringBuilder();
        for (ObjectNode object : objects) {
            try {
                out.append("---\n").append(YAML.writeValueAsString(object));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out.toString();
    }
}
