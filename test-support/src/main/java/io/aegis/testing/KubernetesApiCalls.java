package io.aegis.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The RBAC permission each Kubernetes API request needs, as the API server's authorizer derives it
 * from the request's method and path (the Kubernetes docs, "Determine the request verb"), so a test
 * can hold a chart's Role against the requests the code under test really made: a verb the code
 * calls and the Role lacks would be a 403 in a cluster, and a verb the Role grants that no code
 * calls is more privilege than needed.
 */
public final class KubernetesApiCalls {

    /**
     * One permission: {@code verb} on {@code resource} (with its subresource, e.g. {@code pods/log})
     * of {@code apiGroup} ({@code ""} is the core group), as a Role's rule names it.
     */
    public record Rule(String apiGroup, String resource, String verb) implements Comparable<Rule> {

        private static final Comparator<Rule> ORDER = Comparator.comparing(Rule::apiGroup)
                .thenComparing(Rule::resource).thenComparing(Rule::verb);

        @Override
        public int compareTo(Rule other) {
            return ORDER.compare(this, other);
        }

        @Override
        public String toString() {
            return (apiGroup.isEmpty() ? "" : apiGroup + "/") + resource + ": " + verb;
        }
    }

    private KubernetesApiCalls() {
    }

    /**
     * The permission a request needs.
     *
     * @param method      the HTTP method
     * @param pathAndQuery the request's path with its query, e.g.
     *                    {@code /apis/batch/v1/namespaces/aegis/jobs?labelSelector=…&watch=true}
     * @throws IllegalArgumentException for a request that is not for a resource (e.g. {@code /version})
     */
    public static Rule rule(String method, String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        String path = query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
        boolean watch = query >= 0 && Arrays.stream(pathAndQuery.substring(query + 1).split("&"))
                .anyMatch(parameter -> parameter.equals("watch=true") || parameter.equals("watch=1"));
        List<String> segments = new ArrayList<>(Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList());
        String group;
        if (segments.size() >= 3 && segments.getFirst().equals("api")) {
            group = "";
            segments = segments.subList(2, segments.size());
        } else if (segments.size() >= 4 && segments.getFirst().equals("apis")) {
            group = segments.get(1);
            segments = segments.subList(3, segments.size());
        } else {
            throw new IllegalArgumentException("Not a request for a Kubernetes resource: " + method + " " + pathAndQuery);
        }
        if (segments.getFirst().equals("watch")) {
            // the old form of a watch: /api/v1/watch/namespaces/<ns>/pods
            watch = true;
            segments = segments.subList(1, segments.size());
        }
        if (segments.size() >= 3 && segments.getFirst().equals("namespaces")) {
            segments = segments.subList(2, segments.size());
        }
        if (segments.isEmpty() || segments.size() > 3) {
            throw new IllegalArgumentException("Not a request for a Kubernetes resource: " + method + " " + pathAndQuery);
        }
        String resource = segments.size() == 3 ? segments.get(0) + "/" + segments.get(2) : segments.getFirst();
        boolean named = segments.size() >= 2;
        String verb = switch (method.toUpperCase(Locale.ROOT)) {
            case "GET", "HEAD" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw new IllegalArgumentException("Not a Kubernetes API method: " + method + " " + pathAndQuery);
        };
        return new Rule(group, resource, verb);
    }

    /**
     * What a Role's {@code rules} grant, one permission for each API group, resource and verb they
     * name together. Rules narrowed to resource names, and non-resource URLs, are refused rather than
     * taken wider or narrower than they are.
     */
    public static Set<Rule> granted(Collection<? extends Map<String, ?>> rules) {
        Set<Rule> granted = new TreeSet<>();
        for (Map<String, ?> rule : rules) {
            if (rule.containsKey("resourceNames") || rule.containsKey("nonResourceURLs")) {
                throw new IllegalArgumentException("Only rules on whole resources are compared: " + rule);
            }
            for (String group : strings(rule, "apiGroups")) {
                for (String resource : strings(rule, "resources")) {
                    for (String verb : strings(rule, "verbs")) {
                        granted.add(new Rule(group, resource, verb));
                    }
                }
            }
        }
        return granted;
    }

    /** The least an install of helm/aegis names (external Kafka, PostgreSQL and Redis; the Secrets). */
    static final Map<String, String> LEAST_VALUES = Map.of(
            "kafka.bootstrapServers", "kafka:9092",
            "database.host", "postgres",
            "database.existingSecret.name", "aegis-database",
            "redis.url", "redis://redis:6379",
            "gatewayService.identity.existingSecret.name", "aegis-identity",
            "internalKey.existingSecret.name", "aegis-internal");

    /**
     * What the chart's Role of {@code component} grants, rendered by Helm itself (helm-java) with the
     * least values an install names plus {@code sets}; a module's tests find the chart at
     * {@code ../helm/aegis}.
     */
    public static Set<Rule> chartRole(String component, Map<String, String> sets) {
        TemplateCommand template = new Helm(Path.of("../helm/aegis")).template().withName("aegis").withKubeVersion("1.31.0");
        for (Map.Entry<String, String> set : LEAST_VALUES.entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        for (Map.Entry<String, String> set : sets.entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        try {
            List<Map<String, Object>> manifests = new YAMLMapper().readerFor(new TypeReference<Map<String, Object>>() { })
                    .<Map<String, Object>>readValues(template.call()).readAll();
            return role(manifests, component);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the chart's manifests", e);
        }
    }

    /**
     * What the one Role of {@code component} (its {@code app.kubernetes.io/component} label) grants
     * among rendered {@code manifests}, each a parsed YAML document; empty when it has none.
     *
     * @throws IllegalArgumentException when the component has more than one Role
     */
    public static Set<Rule> role(Collection<? extends Map<String, ?>> manifests, String component) {
        List<? extends Map<String, ?>> roles = manifests.stream()
                .filter(manifest -> manifest != null && "Role".equals(manifest.get("kind"))
                        && component.equals(label(manifest, "app.kubernetes.io/component")))
                .toList();
        if (roles.size() > 1) {
            throw new IllegalArgumentException("More than one Role of " + component + ": " + roles);
        }
        return roles.isEmpty() ? Set.of() : granted(rules(roles.getFirst()));
    }

    private static Object label(Map<String, ?> manifest, String name) {
        return manifest.get("metadata") instanceof Map<?, ?> metadata && metadata.get("labels") instanceof Map<?, ?> labels
                ? labels.get(name) : null;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, ?>> rules(Map<String, ?> role) {
        return role.get("rules") instanceof List<?> rules ? (List<Map<String, ?>>) rules : List.of();
    }

    private static List<String> strings(Map<String, ?> rule, String key) {
        if (!(rule.get(key) instanceof List<?> values)) {
            throw new IllegalArgumentException("A Role rule without " + key + ": " + rule);
        }
        return values.stream().map(String::valueOf).toList();
    }
}
