package io.aegis.worker.health;

import io.aegis.worker.config.WorkerConfig;
import io.aegis.pipelines.PipelineDefinition;
import io.aegis.pipelines.Pipelines;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when every BLAST program the pipelines run answers {@code -version}, and so does
 * {@code makeblastdb}, and the artifact store takes a file.
 * The tools are asked at most once a minute: probes come often, binaries rarely vanish.
 */
@Readiness
@ApplicationScoped
public class BlastToolsCheck implements HealthCheck {

    private static final Duration TOOLS_RECHECK = Duration.ofMinutes(1);
    private static final long VERSION_TIMEOUT_SECONDS = 10;

    private final Path store;
    private final List<String> programs;
    private volatile ToolsState tools;

    /** @param versions the version each tool reported, or null for a tool that does not run */
    private record ToolsState(Map<String, String> versions, Instant checkedAt) {

        boolean allRun() {
            return !versions.containsValue(null);
        }
    }

    public BlastToolsCheck(WorkerConfig config, Pipelines pipelines) {
        this.store = config.store().root().toAbsolutePath();
        this.programs = pipelines.find("blast").map(PipelineDefinition::programs).orElse(List.of());
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("blast-tools-and-store");
        ToolsState state = tools();
        state.versions().forEach((tool, version) -> response.withData(tool, version == null ? "missing" : version));
        String storeProblem = storeProblem();
        response.withData("store", storeProblem == null ? store + " writable" : storeProblem);
        return response.status(state.allRun() && storeProblem == null).build();
    }

    private ToolsState tools() {
        ToolsState state = tools;
        if (state == null || !state.allRun() || state.checkedAt().plus(TOOLS_RECHECK).isBefore(Instant.now())) {
            Map<String, String> versions = new LinkedHashMap<>();
            List<String> all = new ArrayList<>(programs);
            all.add("makeblastdb");
            all.forEach(tool -> versions.put(tool, version(tool)));
            state = new ToolsState(versions, Instant.now());
            tools = state;
        }
        return state;
    }

    /** The first line {@code <tool> -version} prints, or null when the tool does not run. */
    private static String version(String tool) {
        try {
            Process process = new ProcessBuilder(tool, "-version").redirectErrorStream(true).start();
            process.getOutputStream().close();
            // two short lines: they fit the pipe, so waiting before reading cannot block the child
            if (!process.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.exitValue() == 0
                    ? output.lines().findFirst().orElse("").replaceFirst("^[^:]*:\\s*", "").strip()
                    : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Null when a file can be created in the store, else why not. */
    private String storeProblem() {
        try {
            Files.createDirectories(store);
            Path probe = Files.createTempFile(store, ".ready-", ".probe");
            Files.delete(probe);
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot write to " + store + ": " + e.getMessage();
        }
    }
}
