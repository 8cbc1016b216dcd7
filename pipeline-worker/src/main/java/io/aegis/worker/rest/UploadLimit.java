package io.aegis.worker.rest;

import io.aegis.events.EventJson;
import io.aegis.events.Problem;
import io.aegis.worker.config.WorkerConfig;
import io.aegis.worker.service.DatabaseRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Refuses a registration whose declared length is over the upload limit with a 413 problem before
 * any of it is read. A body without a length is counted as it is copied ({@link DatabaseRegistry}).
 * Runs before Quarkus' own body-size limit, which answers without a problem.
 */
@ApplicationScoped
public class UploadLimit {

    /** Room for the form fields and boundaries around the file, or the JSON around the FASTA. */
    static final long FRAMING = 64 * 1024;

    private final long maxUploadBytes;

    public UploadLimit(WorkerConfig config) {
        this.maxUploadBytes = config.databases().maxUploadBytes();
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, 10);
    }

    void warnWhenTheHttpLimitIsLower(@Observes StartupEvent start) {
        ConfigProvider.getConfig().getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .filter(limit -> limit.asLongValue() < maxUploadBytes + FRAMING)
                .ifPresent(limit -> Log.warnf("quarkus.http.limits.max-body-size (%d bytes) is below "
                        + "aegis.databases.max-upload-bytes (%d): large registrations are refused by the HTTP "
                        + "server first", limit.asLongValue(), maxUploadBytes));
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader("Content-Length");
        if (context.request().method() == HttpMethod.POST && "/api/v1/databases".equals(context.request().path())
                && length != null && tooLong(length)) {
            Problem problem = DatabaseRegistry.tooLarge(maxUploadBytes).problem();
            context.response().setStatusCode(413).putHeader("Connection", "close")
                    .putHeader("Content-Type", Problem.MEDIA_TYPE).end(EventJson.encodeToString(problem));
            return;
        }
        context.next();
    }

    private boolean tooLong(String length) {
        try {
            return Long.parseLong(length.strip()) > maxUploadBytes + FRAMING;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
