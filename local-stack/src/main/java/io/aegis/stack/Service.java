package io.aegis.stack;

import java.nio.file.Path;
import java.util.Arrays;

/** The five Aegis services, in the order a stack starts them. */
public enum Service {

    JOB("job-service"),
    WORKER("pipeline-worker"),
    ARTIFACT("artifact-service"),
    LOG_STREAM("log-stream-service"),
    GATEWAY("gateway-service");

    private final String id;

    Service(String id) {
        this.id = id;
    }

    /** Its name: its module, its log file, its readiness line. */
    public String id() {
        return id;
    }

    /** The runnable jar {@code mvn package} builds in the service's module of {@code repo}. */
    public Path jar(Path repo) {
        return repo.resolve(id).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public static Service named(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No Aegis service '" + id + "'"));
    }

    @Override
    public String toString() {
        return id;
    }
}
