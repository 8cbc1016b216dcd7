package io.aegis.gateway.rest;

import io.aegis.events.Topics;
import io.aegis.gateway.domain.ContractDocuments;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The events contract for other lab systems: the AsyncAPI document of every Kafka topic and the
 * JSON Schemas of their payloads, from the events module where they are kept and tested. Open to
 * anyone ({@link ContractDocuments#isOpen}), as the OpenAPI document ({@code /q/openapi}) is.
 * The document references each schema as {@code ./schemas/<topic>.json}, which resolves against its
 * address to {@link #SCHEMAS}{@code <topic>.json}; an unknown schema is the router's 404.
 */
@ApplicationScoped
public class AsyncApiRoutes {

    static final String DOCUMENT = ContractDocuments.ASYNCAPI;
    static final String SCHEMAS = ContractDocuments.SCHEMAS;

    private final Buffer document = Buffer.buffer(read("asyncapi/asyncapi.yaml"));
    private final Map<String, Buffer> schemas = schemas();

    void register(@Observes Router router) {
        router.get(DOCUMENT).handler(context -> answer(context, "application/yaml; charset=utf-8", document));
        router.get(SCHEMAS + ":file").handler(context -> {
            Buffer schema = schemas.get(context.pathParam("file"));
            if (schema == null) {
                context.next();
                return;
            }
            answer(context, "application/schema+json", schema);
        });
    }

    private static void answer(RoutingContext context, String type, Buffer body) {
        context.response().putHeader("Content-Type", type).putHeader("Cache-Control", "no-cache").end(body);
    }

    /** Each event topic's schema by its file name, e.g. {@code aegis.job.state.json}. */
    private static Map<String, Buffer> schemas() {
        Map<String, Buffer> schemas = new LinkedHashMap<>();
        for (String topic : Topics.EVENTS) {
            String resource = Topics.schemaResource(topic);
            schemas.put(resource.substring(resource.lastIndexOf('/') + 1), Buffer.buffer(read(resource)));
        }
        return schemas;
    }

    private static byte[] read(String resource) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
