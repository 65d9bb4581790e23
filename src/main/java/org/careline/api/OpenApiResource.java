package org.careline.api;

import java.util.ArrayList;
import java.util.List;

/** GET /openapi.json: the API's description, for anyone signed in. */
final class OpenApiResource {

    static final String PATH = "/openapi.json";
    private static final String SUMMARY = "this description (OpenAPI 3.0)";

    /** The endpoint serving the description of {@code others} and of itself, made once. */
    static Endpoint endpoint(List<Endpoint> others) {
        List<Endpoint> described = new ArrayList<>(others);
        // The description reads method, path, roles and summary only: this entry stands for the endpoint itself.
        described.add(new Endpoint("GET", PATH, Endpoint.ANY_ROLE, SUMMARY, call -> null));
        String document = OpenApiDocument.of(described);
        return new Endpoint("GET", PATH, Endpoint.ANY_ROLE, SUMMARY, call -> ApiAnswer.ok(document));
    }
}
