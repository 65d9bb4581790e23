package org.careline.api;

import java.util.List;

/** GET /openapi.json: the API's description, for anyone signed in. */
final class OpenApiResource {

    static final String PATH = "/openapi.json";

    /** The endpoint serving the description of {@code others} and of itself. */
    static Endpoint endpoint(List<Endpoint> others) {
        List<Endpoint> all = new java.util.ArrayList<>(others);
        String[] document = new String[1];
        Endpoint self = new Endpoint("GET", PATH, Endpoint.ANY_ROLE, "this description (OpenAPI 3.0)",
                call -> ApiAnswer.ok(document[0]));
        all.add(self);
        document[0] = OpenApiDocument.of(all);
        return self;
    }
}
