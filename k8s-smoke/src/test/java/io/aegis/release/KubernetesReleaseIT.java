package io.aegis.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes release as an operator installs it, run by podman: {@code ./aegis k8s smoke} builds
 * the images from the services this build packaged, renders the chart with
 * {@code deploy/k8s/smoke-values.yaml}, plays its Deployments, and runs a real BLAST job through the
 * containerized gateway, whose hits.tsv must equal {@code blastp} run directly in the BLAST+ image.
 * What it printed is in {@code target/k8s-smoke.log}.
 */
class KubernetesReleaseIT {

    /** Images, a broker, five services starting in containers and a job: a few minutes at worst. */
    private static final long TIMEOUT_MINUTES = 10;

    @Test
    void theChartsDeploymentsFromTheirImagesRunABlastJobWhoseHitsEqualBlastps() throws Exception {
        Path root = Path.of(System.getProperty("aegis.root", "..")).toRealPath();
        Path log = Path.of("target", "k8s-smoke.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Process smoke = new ProcessBuilder(root.resolve("aegis").toString(), "k8s", "smoke")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!smoke.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            // its exit trap takes the pods and the broker down
            smoke.destroy();
            smoke.waitFor(1, TimeUnit.MINUTES);
            fail("./aegis k8s smoke did not end in " + TIMEOUT_MINUTES + " minutes:\n" + tail(log));
        }
        assertThat(smoke.exitValue()).as("./aegis k8s smoke's exit status; it printed:\n%s", tail(log)).isZero();
        assertThat(Files.readString(log))
                .contains("all ready")
                .containsPattern("hits\\.tsv: \\d+ rows, identical to blastp's")
                .contains("metrics served on the management ports")
                .contains("Smoke run passed");
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
