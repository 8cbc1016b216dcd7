package io.aegis.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a render of the chart into what {@code podman kube play} (podman 4.3) runs on one host, for
 * the smoke run: a pure function of the rendered objects, kept apart from podman so every rule is
 * tested on its own.
 *
 * <p>podman plays Pods, Deployments and ConfigMaps (a claim is a volume of its own), and has no API server:
 * no Services (the pods share the host's network and reach each other on 127.0.0.1, which the
 * smoke values set), no RBAC, no NetworkPolicies, no Jobs controller, and its Secrets are not
 * Kubernetes Secrets. So:
 * <ul>
 *   <li>a StatefulSet runs as a Deployment of one pod (log-stream-service keeps its instance name);</li>
 *   <li>an env var from a Secret gets the value the caller gives for that Secret's key, and one from
 *       {@code metadata.name} the name of the workload's first pod ({@code <name>-0});</li>
 *   <li>a pod on the host's network lists no container ports: podman takes them for port mappings,
 *       which it refuses there (a port on the host network is the host's already);</li>
 *   <li>an {@code emptyDir} is named after its workload ({@code <name>-<volume>}): podman makes a
 *       named volume of it, which pods with a volume of the same name would otherwise share;</li>
 *   <li>hooks (the topics Job, the test pod) and every kind podman cannot play are left out and
 *       listed, so the caller can say what the run does not cover.</li>
 * </ul>
 * Anything else that podman could not honour is an error naming it, never silently dropped: a Secret
 * volume, another field reference, and an init container (podman 4.3 restarts it with its pod's
 * restart policy, so it never completes and the pod never starts).
 */
public final class PodmanPlay {

    /** What podman plays, in the order it must see them: a ConfigMap before the pods that use it. */
    static final List<String> PLAYED = List.of("ConfigMap", "Deployment", "StatefulSet");

    /**
     * Kinds that only an API server gives meaning to, and claims: a pod's claim is the podman volume
     * of that name, made when first used (or before, by the caller, to put data in it; podman refuses
     * to play a claim whose volume exists).
     */
    static final Set<String> LEFT_OUT = Set.of("Service", "ServiceAccount", "Role", "RoleBinding", "NetworkPolicy",
            "PodDisruptionBudget", "HorizontalPodAutoscaler", "Ingress", "Secret", "Job", "Pod", "PersistentVolumeClaim");

    /** The objects to play, and those left out as {@code Kind/name}. */
    public record Play(List<ObjectNode> objects, List<String> leftOut) {
    }

    private PodmanPlay() {
    }

    /**
     * @param rendered the chart's objects
     * @param secrets  the value of each Secret key an env var names, as {@code <secret>/<key>}
     */
    public static Play of(List<JsonNode> rendered, Map<String, String> secrets) {
        List<ObjectNode> played = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        for (String kind : PLAYED) {
            for (JsonNode object : rendered) {
                if (kind.equals(object.path("kind").asText()) && !isHook(object)) {
                    played.add(convert((ObjectNode) object.deepCopy(), secrets));
                }
            }
        }
        for (JsonNode object : rendered) {
            String kind = object.path("kind").asText();
            if (isHook(object) || !PLAYED.contains(kind)) {
                if (!isHook(object) && !LEFT_OUT.contains(kind)) {
                    throw new IllegalArgumentException("podman cannot play a " + kind + " (" + name(object) + ")");
                }
                leftOut.add(kind + "/" + name(object));
            }
        }
        return new Play(List.copyOf(played), List.copyOf(leftOut));
    }

    private static ObjectNode convert(ObjectNode object, Map<String, String> secrets) {
        if (object.path("kind").asText().equals("StatefulSet")) {
            object.put("kind", "Deployment");
            ObjectNode spec = (ObjectNode) object.path("spec");
            spec.remove(List.of("serviceName", "podManagementPolicy", "updateStrategy", "volumeClaimTemplates",
                    "persistentVolumeClaimRetentionPolicy"));
        }
        JsonNode podSpec = object.path("spec").path("template").path("spec");
        if (podSpec.isObject()) {
            String firstPod = name(object) + "-0";
            if (!podSpec.path("initContainers").isEmpty()) {
                throw new IllegalArgumentException(name(object) + " has init containers, which podman 4.3 restarts "
                        + "with the pod's restart policy: they never complete");
            }
            boolean hostNetwork = podSpec.path("hostNetwork").asBoolean(false);
            for (JsonNode container : podSpec.path("containers")) {
                inlineEnv(container, secrets, firstPod);
                if (hostNetwork) {
                    ((ObjectNode) container).remove("ports");
                }
            }
            for (JsonNode volume : podSpec.path("volumes")) {
                if (volume.has("emptyDir")) {
                    renameVolume(podSpec, volume.path("name").asText(), name(object) + "-" + volume.path("name").asText());
                }
                if (volume.has("secret") || volume.has("projected")) {
                    throw new IllegalArgumentException(name(object) + " mounts a Secret (volume "
                            + volume.path("name").asText() + "), which podman cannot play");
                }
            }
        }
        return object;
    }

    private static void inlineEnv(JsonNode container, Map<String, String> secrets, String firstPod) {
        if (container.path("envFrom").findValue("secretRef") != null) {
            throw new IllegalArgumentException("container " + container.path("name").asText()
                    + " takes a whole Secret (envFrom), which podman cannot play");
        }
        for (JsonNode variable : container.path("env")) {
            JsonNode from = variable.path("valueFrom");
            if (from.isMissingNode()) {
                continue;
            }
            String value;
            if (from.has("secretKeyRef")) {
                String key = from.path("secretKeyRef").path("name").asText() + "/" + from.path("secretKeyRef").path("key").asText();
                value = secrets.get(key);
                if (value == null) {
                    throw new IllegalArgumentException(variable.path("name").asText() + " of container "
                            + container.path("name").asText() + " comes from Secret key " + key + ", which was not given");
                }
            } else if ("metadata.name".equals(from.path("fieldRef").path("fieldPath").asText())) {
                value = firstPod;
            } else {
                throw new IllegalArgumentException(variable.path("name").asText() + " of container "
                        + container.path("name").asText() + " comes from " + from + ", which podman cannot play");
            }
            ObjectNode entry = (ObjectNode) variable;
            entry.remove("valueFrom");
            entry.put("value", value);
        }
    }

    private static void renameVolume(JsonNode podSpec, String from, String to) {
        for (JsonNode volume : podSpec.path("volumes")) {
            if (volume.path("name").asText().equals(from)) {
                ((ObjectNode) volume).put("name", to);
            }
        }
        for (JsonNode container : podSpec.path("containers")) {
            for (JsonNode mount : container.path("volumeMounts")) {
                if (mount.path("name").asText().equals(from)) {
                    ((ObjectNode) mount).put("name", to);
                }
            }
        }
    }

    private static boolean isHook(JsonNode object) {
        return object.path("metadata").path("annotations").has("helm.sh/hook");
    }

    private static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }
}
