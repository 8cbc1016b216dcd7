package io.aegis.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.aegis.events.Topics;
import io.aegis.testing.RedisServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gateway serves the events contract to anyone, as it serves its OpenAPI document: the AsyncAPI
 * document, and every payload schema it references at the address the reference resolves to.
 */
@QuarkusTest
@WithTestResource(BackendStandIn.class)
@WithTestResource(RedisServerResource.class)
class AsyncApiRoutesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theAsyncApiDocumentIsServedWithoutSignInAndNamesEveryTopic() throws Exception {
        Response response = given().get(AsyncApiRoutes.DOCUMENT).then().statusCode(200).extract().response();

        assertThat(response.contentType()).startsWith("application/yaml");
        JsonNode document = YAML.readTree(response.asByteArray());
        assertThat(document.path("asyncapi").asText()).isEqualTo("3.0.0");
        List<String> addresses = new ArrayList<>();
        document.path("channels").forEach(channel -> addresses.add(channel.path("address").asText()));
        assertThat(addresses).containsExactlyElementsOf(Topics.ALL);
        assertThat(given().get("/q/openapi").then().statusCode(200).extract().asString()).as("the OpenAPI document")
                .contains(AsyncApiRoutes.DOCUMENT, AsyncApiRoutes.SCHEMAS + "{file}");
    }

    @Test
    void everySchemaTheDocumentReferencesIsServedWhereTheReferencePoints() throws Exception {
        JsonNode document = YAML.readTree(given().get(AsyncApiRoutes.DOCUMENT).asByteArray());
        List<String> files = new ArrayList<>();
        document.path("components").path("messages").forEach(message -> {
            String ref = message.path("payload").path("$ref").asText();
            if (!ref.isEmpty()) {
                files.add(ref);
            }
        });
        assertThat(files).hasSize(Topics.EVENTS.size());

        for (String ref : files) {
            String path = URI.create(AsyncApiRoutes.DOCUMENT).resolve(ref).getPath();
            Response schema = given().get(path).then().statusCode(200).extract().response();
            assertThat(schema.contentType()).as(path).startsWith("application/schema+json");
            assertThat(schema.jsonPath().getString("$schema")).as(path).contains("2020-12");
            assertThat(schema.jsonPath().getString("title")).as(path).endsWith("Event");
        }
    }

    @Test
    void anUnknownSchemaIsNotFoundAndTheRestOfTheApiStillNeedsSignIn() {
        given().get(AsyncApiRoutes.SCHEMAS + "aegis.job.secrets.json").then().statusCode(404);
        given().get("/api/v1/jobs").then().statusCode(401);
        given().get(AsyncApiRoutes.SCHEMAS + "aegis.job.state.json/jobs").then().statusCode(401);
    }
}
