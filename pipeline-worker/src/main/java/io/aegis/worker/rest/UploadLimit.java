package io.aegis.worker.rest;

import io.aegis.contracts.problem.ProblemException;
import io.aegis.web.RouteProblems;
import io.aegis.worker.config.WorkerConfig;
import io.aegis.worker.service.DatabaseUploads;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The size limits of a registration: the FASTA at most {@code aegis.databases.max-upload-bytes}; in a
 * JSON body at most {@value #JSON_MAX_BYTES} bytes besides (a JSON body is held whole and read as one
 * string; larger files go as multipart, which is spooled to disk and streamed). A request whose
 * declared length is over its limit gets a 413 problem before any of it is read; a body without a
 * length is counted as it is read. Runs before Quarkus' own body-size limit, which answers without a
 * problem.
 */
@ApplicationScoped
public class UploadLimit {

    /** Room for the form fields and boundaries around the file, or the JSON around the FASTA. */
    static final long FRAMING = 64 * 1024;
    /** The largest JSON body a registration takes. */
    static final long JSON_MAX_BYTES = 16 * 1024 * 1024;

    private final long maxUploadBytes;

    public UploadLimit(WorkerConfig config) {
        this.maxUploadBytes = config.databases().maxUploadBytes();
    }

    /** The largest body of a registration in this media type. */
    long limit(String contentType) {
        long any = maxUploadBytes + FRAMING;
        return isJson(contentType) ? Math.min(any, JSON_MAX_BYTES) : any;
    }

    /** The 413 problem for a body over {@link #limit}. */
    ProblemException refusal(String contentType) {
        if (isJson(contentType) && JSON_MAX_BYTES < maxUploadBytes + FRAMING) {
            return new ProblemException(413, "INPUT_TOO_LARGE", "Upload too large", "A JSON body may have at most "
                    + JSON_MAX_BYTES + " bytes; send a larger FASTA as multipart/form-data (fields name and file).");
        }
        return DatabaseUploads.tooLarge(maxUploadBytes);
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
        String type = context.request().getHeader("Content-Type");
        if (context.request().method() == HttpMethod.POST && "/api/v1/databases".equals(context.request().path())
                && length != null && declared(length) > limit(type)) {
            // the body is not read: the connection cannot serve another request after this one
            RouteProblems.send(context.response().putHeader("Connection", "close"), refusal(type).problem());
            return;
        }
        context.next();
    }

    private static long declared(String length) {
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(MediaType.APPLICATION_JSON);
    }
}
