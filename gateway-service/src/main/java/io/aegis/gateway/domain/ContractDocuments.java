package io.aegis.gateway.domain;

/**
 * The addresses of the events contract the gateway serves: the AsyncAPI document of the Kafka topics
 * and the JSON Schemas of their payloads. Anyone may read them, as anyone may read the OpenAPI
 * document ({@code /q/openapi}): they describe the interface, no one's data; so they need no token.
 */
public final class ContractDocuments {

    /** The AsyncAPI document. */
    public static final String ASYNCAPI = "/api/v1/asyncapi.yaml";
    /** Where the schemas are, {@code <topic>.json} each: the document's {@code ./schemas/…} resolves here. */
    public static final String SCHEMAS = "/api/v1/schemas/";

    /** Whether a (normalized) path is one of these documents' addresses, so open to anyone. */
    public static boolean isOpen(String path) {
        return ASYNCAPI.equals(path) || (path.startsWith(SCHEMAS) && path.indexOf('/', SCHEMAS.length()) < 0);
    }

    private ContractDocuments() {
    }
}
