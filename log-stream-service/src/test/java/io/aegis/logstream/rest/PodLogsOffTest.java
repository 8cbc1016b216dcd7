package io.aegis.logstream.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.contracts.http.AegisHeaders;
import io.aegis.events.JobStatus;
import io.aegis.logstream.kubernetes.PodLogs;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.SseClient.Connection;
import io.aegis.testing.SseClient;
import io.aegis.testing.TestCallers;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableBean;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * By default pod logs are off: the Kubernetes client extension is on the class path, but no client
 * is built nor kubeconfig read, even while streams are open. Same test resources as
 * {@code StreamsTest}, so the application boots once for both.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(JobServiceStandIn.class)
class PodLogsOffTest {

    @TestHTTPResource("/api/v1/jobs/")
    URI jobs;

    @Inject
    PodLogs podLogs;

    @Test
    void withPodLogsOffAStreamFollowsNoPodAndNoKubernetesClientIsEverCreated() {
        UUID id = JobServiceStandIn.job("heidi", JobStatus.RUNNING);
        try (Connection stream = SseClient.open(jobs.resolve(id + "/events"), Map.of(AegisHeaders.IDENTITY, TestCallers.identity("heidi")))) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.next().type()).isEqualTo("snapshot");

            assertThat(podLogs.jobs()).isZero();
            assertThat(created().map(InjectableBean::getTypes))
                    .noneMatch(types -> types.contains(KubernetesClient.class) || types.contains(Config.class));
        }
    }

    /** The beans whose instances exist now (the client is application-scoped, its config a singleton). */
    private static Stream<InjectableBean<?>> created() {
        return Stream.of(ApplicationScoped.class, Singleton.class)
                .flatMap(scope -> Arc.container().getActiveContext(scope).getState().getContextualInstances()
                        .keySet().stream());
    }
}
