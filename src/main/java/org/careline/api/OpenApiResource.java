package org.careline.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The API's description (OpenAPI 3.0, src/main/resources/api/openapi.json), for anyone signed in.
 * OpenApiDocumentTest holds it to the endpoints that exist: every endpoint described, nothing described that is not.
 */
final class OpenApiResource {

    static final String RESOURCE = "api/openapi.json";

    List<Endpoint> endpoints() {
        String document = read();
        return List.of(new Endpoint("GET", "/openapi.json", Endpoint.ANY_ROLE, call -> ApiAnswer.ok(document)));
    }

    static String read() {
        try (InputStream in = OpenApiResource.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
