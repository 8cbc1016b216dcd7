package io.aegis.logstream.kubernetes;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Following the pods of jobs that run on the Kubernetes executor. */
@ConfigMapping(prefix = "aegis.log-stream.kubernetes")
public interface PodLogsConfig {

    /** Whether pod logs are followed at all; when off, no Kubernetes client is ever created. */
    @WithDefault("false")
    boolean enabled();

    /** The namespace the worker runs its Jobs in; the client's own namespace when unset. */
    Optional<String> namespace();
}
