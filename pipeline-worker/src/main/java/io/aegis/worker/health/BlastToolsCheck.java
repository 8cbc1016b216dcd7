package io.aegis.worker.health;

import io.aegis.worker.config.WorkerConfig;
import io.aegis.worker.domain.BlastProgram;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when every BLAST program is on the PATH and the artifact store can be written. */
@Readiness
@ApplicationScoped
public class BlastToolsCheck implements HealthCheck {

    private final Path store;

    public BlastToolsCheck(WorkerConfig config) {
        this.store = config.store().root();
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("blast-tools");
        boolean up = true;
        for (String tool : concat(BlastProgram.names(), "makeblastdb")) {
            boolean found = onPath(tool);
            response.withData(tool, found ? "found" : "missing");
            up &= found;
        }
        try {
            Files.createDirectories(store);
            boolean writable = Files.isWritable(store);
            response.withData("store", writable ? "writable" : "read-only");
            up &= writable;
        } catch (Exception e) {
            response.withData("store", "unavailable: " + e.getMessage());
            up = false;
        }
        return response.status(up).build();
    }

    private static java.util.List<String> concat(java.util.List<String> names, String more) {
        var all = new java.util.ArrayList<>(names);
        all.add(more);
        return all;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
