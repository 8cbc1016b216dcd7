package io.aegis.logstream.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * Points a {@code @QuarkusTest} at fabric8's mock API server (pods kept, logs served through
 * expectations, as {@code @EnableKubernetesMockClient(crud = true)} does) and turns pod logs on.
 * The client reads where its server is from system properties, set here for the test's run only;
 * no kubeconfig nor service account of the machine is looked at.
 */
public class KubernetesMockResource implements QuarkusTestResourceLifecycleManager {

    public static final String NAMESPACE = "aegis-jobs";

    /** The user agent of the test's own client, so that its requests are told apart from the service's. */
    public static final String TEST_AGENT = "aegis-test";

    private static KubernetesMockServer server;
    private static KubernetesClient testClient;

    public static synchronized KubernetesMockServer server() {
        return server;
    }

    /** A client of the test's own, to play the worker and the kubelet with. */
    public static synchronized KubernetesClient testClient() {
        if (testClient == null) {
            testClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                    .withMasterUrl(server.url("/")).withTrustCerts(true).withHttp2Disable(true).withNamespace(NAMESPACE)
                    .withUserAgent(TEST_AGENT).build()).build();
        }
        return testClient;
    }

    private final Map<String, String> clientProperties = new HashMap<>();

    @Override
    public synchronized Map<String, String> start() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(Serialization.jsonMapper()),
                new MockWebServer(), responses, new KubernetesMixedDispatcher(responses), false);
        server.init();
        clientProperties.put(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY, server.url("/"));
        clientProperties.put(Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY, "false");
        clientProperties.put(Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY, "false");
        clientProperties.put(Config.KUBERNETES_HTTP2_DISABLE, "true");
        clientProperties.forEach(System::setProperty);
        return Map.of(
                "aegis.log-stream.kubernetes.enabled", "true",
                "aegis.log-stream.kubernetes.namespace", NAMESPACE);
    }

    @Override
    public synchronized void stop() {
        if (testClient != null) {
            testClient.close();
            testClient = null;
        }
        clientProperties.keySet().forEach(System::clearProperty);
        server.destroy();
    }
}
