package io.aegis.chart;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** The objects of one render, parsed, with the questions the tests ask of them. */
record Rendered(List<JsonNode> objects) {

    /** The five services: their component label, their native port. */
    static final Map<String, Integer> SERVICES = Map.of("gateway-service", 8080, "job-service", 8081,
            "pipeline-worker", 8082, "artifact-service", 8083, "log-stream-service", 8084);

    static Rendered parse(String manifests) {
        List<JsonNode> objects = new ArrayList<>();
        try (JsonParser parser = HelmChart.YAML.createParser(manifests);
             MappingIterator<JsonNode> documents = HelmChart.YAML.readValues(parser, JsonNode.class)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document == null || document.isNull() || document.isEmpty()) {
                    continue;
                }
                objects.add(document);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Rendered(List.copyOf(objects));
    }

    Stream<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText()));
    }

    Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).filter(o -> name.equals(name(o))).findFirst();
    }

    JsonNode get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in the render"));
    }

    boolean has(String kind, String name) {
        return find(kind, name).isPresent();
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    static String component(JsonNode object) {
        return object.path("metadata").path("labels").path("app.kubernetes.io/component").asText();
    }

    /** Everything that runs pods: Deployments, StatefulSets and Jobs (their pod template), and Pods. */
    Stream<Workload> workloads() {
        return objects.stream().flatMap(o -> switch (o.path("kind").asText()) {
            case "Deployment", "StatefulSet", "Job" -> Stream.of(new Workload(o, o.path("spec").path("template").path("spec")));
            case "Pod" -> Stream.of(new Workload(o, o.path("spec")));
            default -> Stream.empty();
        });
    }

    /** The workload of one of the five services. */
    Workload service(String component) {
        return workloads().filter(w -> component.equals(component(w.object())) && !w.kind().equals("Job") && !w.kind().equals("Pod"))
                .findFirst().orElseThrow(() -> new AssertionError("no workload for " + component));
    }

    /** A pod's plain environment as its container sees it: ConfigMaps of envFrom first, then env (values only). */
    Map<String, String> environment(JsonNode container) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            if (from.has("configMapRef")) {
                get("ConfigMap", from.path("configMapRef").path("name").asText()).path("data").fields()
                        .forEachRemaining(e -> environment.put(e.getKey(), e.getValue().asText()));
            }
        }
        for (JsonNode variable : container.path("env")) {
            if (variable.has("value")) {
                environment.put(variable.path("name").asText(), variable.path("value").asText());
            } else {
                environment.remove(variable.path("name").asText());
            }
        }
        return environment;
    }

    /** The env entry of a container by name, if any. */
    static Optional<JsonNode> envEntry(JsonNode container, String name) {
        return StreamSupport.stream(container.path("env").spliterator(), false)
                .filter(e -> name.equals(e.path("name").asText())).findFirst();
    }

    /** A pod template (or Pod) with the object that holds it. */
    record Workload(JsonNode object, JsonNode podSpec) {

        String kind() {
            return object.path("kind").asText();
        }

        String name() {
            return Rendered.name(object);
        }

        String component() {
            return Rendered.component(object);
        }

        Stream<JsonNode> containers() {
            return StreamSupport.stream(podSpec.path("containers").spliterator(), false);
        }

        Stream<JsonNode> initContainers() {
            return StreamSupport.stream(podSpec.path("initContainers").spliterator(), false);
        }

        Stream<JsonNode> allContainers() {
            return Stream.concat(initContainers(), containers());
        }

        /** The main container of a service (named after its component). */
        JsonNode mainContainer() {
            return containers().filter(c -> component().equals(c.path("name").asText())).findFirst()
                    .orElseThrow(() -> new AssertionError(name() + " has no container " + component()));
        }

        Optional<JsonNode> volume(String name) {
            return StreamSupport.stream(podSpec.path("volumes").spliterator(), false)
                    .filter(v -> name.equals(v.path("name").asText())).findFirst();
        }

        @Override
        public String toString() {
            return kind() + " " + name();
        }
    }
}
