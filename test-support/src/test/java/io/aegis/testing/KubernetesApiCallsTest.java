package io.aegis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.testing.KubernetesApiCalls.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubernetesApiCallsTest {

    @Test
    void readsOfACollectionAreListsAndWatchesAndOfANamedObjectGets() {
        assertThat(KubernetesApiCalls.rule("GET", "/api/v1/namespaces/aegis/pods?labelSelector=aegis.io%2Fjob-id%3D1"))
                .isEqualTo(new Rule("", "pods", "list"));
        assertThat(KubernetesApiCalls.rule("GET",
                "/api/v1/namespaces/aegis/pods?allowWatchBookmarks=true&labelSelector=a%3Db&resourceVersion=7&watch=true"))
                .isEqualTo(new Rule("", "pods", "watch"));
        assertThat(KubernetesApiCalls.rule("GET", "/api/v1/watch/namespaces/aegis/pods"))
                .isEqualTo(new Rule("", "pods", "watch"));
        assertThat(KubernetesApiCalls.rule("GET", "/apis/batch/v1/namespaces/aegis/jobs/aegis-1-search-0-a1"))
                .isEqualTo(new Rule("batch", "jobs", "get"));
        assertThat(KubernetesApiCalls.rule("GET", "/apis/batch/v1/namespaces/aegis/jobs?fieldSelector=metadata.name%3Dx"))
                .isEqualTo(new Rule("batch", "jobs", "list"));
    }

    @Test
    void aPodsLogIsTheLogSubresourceFollowedOrNot() {
        assertThat(KubernetesApiCalls.rule("GET",
                "/api/v1/namespaces/aegis/pods/p-1/log?pretty=false&container=tool&timestamps=true&follow=true"))
                .isEqualTo(new Rule("", "pods/log", "get"));
        assertThat(KubernetesApiCalls.rule("GET", "/api/v1/namespaces/aegis/pods/p-1/log?pretty=false&tailLines=10"))
                .isEqualTo(new Rule("", "pods/log", "get"));
    }

    @Test
    void writesAreCreateUpdatePatchAndDelete() {
        assertThat(KubernetesApiCalls.rule("POST", "/apis/batch/v1/namespaces/aegis/jobs"))
                .isEqualTo(new Rule("batch", "jobs", "create"));
        assertThat(KubernetesApiCalls.rule("DELETE", "/apis/batch/v1/namespaces/aegis/jobs/aegis-1-search-0-a1"))
                .isEqualTo(new Rule("batch", "jobs", "delete"));
        assertThat(KubernetesApiCalls.rule("DELETE", "/apis/batch/v1/namespaces/aegis/jobs?labelSelector=a%3Db"))
                .isEqualTo(new Rule("batch", "jobs", "deletecollection"));
        assertThat(KubernetesApiCalls.rule("PUT", "/api/v1/namespaces/aegis/pods/p-1/status"))
                .isEqualTo(new Rule("", "pods/status", "update"));
        assertThat(KubernetesApiCalls.rule("PATCH", "/api/v1/namespaces/aegis/pods/p-1"))
                .isEqualTo(new Rule("", "pods", "patch"));
    }

    @Test
    void clusterWideResourcesAndNamespacesThemselvesAreResourcesToo() {
        assertThat(KubernetesApiCalls.rule("GET", "/api/v1/pods")).isEqualTo(new Rule("", "pods", "list"));
        assertThat(KubernetesApiCalls.rule("GET", "/api/v1/namespaces/aegis")).isEqualTo(new Rule("", "namespaces", "get"));
        assertThat(KubernetesApiCalls.rule("GET", "/api/v1/namespaces")).isEqualTo(new Rule("", "namespaces", "list"));
    }

    @Test
    void aRequestForNoResourceIsRefused() {
        assertThatThrownBy(() -> KubernetesApiCalls.rule("GET", "/version")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/version");
        assertThatThrownBy(() -> KubernetesApiCalls.rule("GET", "/healthz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRoleGrantsEveryVerbOnEveryResourceOfEveryGroupItsRulesNameTogether() {
        List<Map<String, Object>> rules = List.of(
                Map.of("apiGroups", List.of("batch"), "resources", List.of("jobs"), "verbs", List.of("create", "delete")),
                Map.of("apiGroups", List.of(""), "resources", List.of("pods", "pods/log"), "verbs", List.of("get")));

        assertThat(KubernetesApiCalls.granted(rules)).containsExactly(
                new Rule("", "pods", "get"), new Rule("", "pods/log", "get"),
                new Rule("batch", "jobs", "create"), new Rule("batch", "jobs", "delete"));
    }

    @Test
    void aComponentsRoleIsFoundAmongTheRenderedManifestsByItsComponentLabel() {
        Map<String, Object> workerRole = Map.of("kind", "Role",
                "metadata", Map.of("name", "aegis-pipeline-worker", "labels", Map.of("app.kubernetes.io/component", "pipeline-worker")),
                "rules", List.of(Map.of("apiGroups", List.of("batch"), "resources", List.of("jobs"), "verbs", List.of("create"))));
        Map<String, Object> workerAccount = Map.of("kind", "ServiceAccount",
                "metadata", Map.of("name", "aegis-pipeline-worker", "labels", Map.of("app.kubernetes.io/component", "pipeline-worker")));
        List<Map<String, Object>> manifests = new ArrayList<>(List.of(workerAccount, workerRole));
        manifests.add(null); // an empty YAML document

        assertThat(KubernetesApiCalls.role(manifests, "pipeline-worker")).containsExactly(new Rule("batch", "jobs", "create"));
        assertThat(KubernetesApiCalls.role(manifests, "gateway-service")).isEmpty();
        assertThatThrownBy(() -> KubernetesApiCalls.role(List.of(workerRole, workerRole), "pipeline-worker"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rulesNarrowedToNamesAreNotCompared() {
        assertThatThrownBy(() -> KubernetesApiCalls.granted(List.of(Map.of("apiGroups", List.of(""),
                "resources", List.of("pods"), "verbs", List.of("get"), "resourceNames", List.of("p-1")))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRuleReadsAsAGroupResourceAndVerb() {
        assertThat(new Rule("batch", "jobs", "create")).hasToString("batch/jobs: create");
        assertThat(new Rule("", "pods/log", "get")).hasToString("pods/log: get");
    }
}
