package io.aegis.worker.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.testing.KafkaBrokerResource;
import io.aegis.worker.service.LocalToolExecutor;
import io.aegis.worker.service.ToolExecutor;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ClientProxy;
import io.quarkus.arc.InjectableBean;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A worker with the default {@code aegis.worker.executor=local} has the Kubernetes client
 * extension on its class path but must never build a client, nor read a kubeconfig: there may be
 * no cluster. Same test resource as {@code PipelineRunTest}, so the application boots once for both.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class LocalWorkerTest {

    @Inject
    ToolExecutor executor;

    @Test
    void aLocalWorkerRunsToolsAsProcessesAndNeverCreatesAKubernetesClient() {
        assertThat(ClientProxy.unwrap(executor)).isInstanceOf(LocalToolExecutor.class);
        assertThat(created().map(InjectableBean::getTypes))
                .noneMatch(types -> types.contains(KubernetesClient.class) || types.contains(Config.class)
                        || types.contains(KubernetesToolExecutor.class));
    }

    /** The beans whose instances exist now (the client is application-scoped, its config a singleton). */
    private static Stream<InjectableBean<?>> created() {
        return Stream.of(ApplicationScoped.class, Singleton.class)
                .flatMap(scope -> Arc.container().getActiveContext(scope).getState().getContextualInstances()
                        .keySet().stream());
    }
}
