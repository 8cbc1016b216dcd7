package io.aegis.job.config;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;

/** The artifact store, where job inputs are written ({@code jobs/<id>/input.fasta}). */
@ConfigMapping(prefix = "aegis.store")
public interface StoreConfig {

    Path root();
}
