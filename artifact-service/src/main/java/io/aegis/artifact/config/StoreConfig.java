package io.aegis.artifact.config;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;

/** The artifact store: results are read from {@code jobs/<id>/results/}, manifests written to {@code artifacts/}. */
@ConfigMapping(prefix = "aegis.store")
public interface StoreConfig {

    Path root();
}
