package org.careline.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.careline.model.Role;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The API's OpenAPI 3.0 description, made from the endpoint table itself, so it cannot describe an endpoint that is
 * not there or miss one that is. Each operation names the roles that may call it ({@code x-roles}) and the answers
 * every caller can meet (401 without credentials, 403 without the role or the CSRF token).
 */
final class OpenApiDocument {

    private OpenApiDocument() {
    }

    static String of(List<Endpoint> endpoints) {
        ObjectNode root = StaffApi.JSON.createObjectNode();
        root.put("openapi", "3.0.3");
        root.putObject("info").put("title", "Careline staff API").put("version", "1")
                .put("description", "The console's API. Sign in with POST /session (browser: cookie + X-CSRF-Token on "
                        + "every change) or send Authorization: Bearer <token> (machines; tokens from POST /tokens).");
        root.putArray("servers").addObject().put("url", StaffApi.PREFIX);
        ObjectNode schemes = root.putObject("components").putObject("securitySchemes");
        schemes.putObject("session").put("type", "apiKey").put("in", "cookie").put("name", StaffApi.COOKIE);
        schemes.putObject("token").put("type", "http").put("scheme", "bearer");
        ObjectNode paths = root.putObject("paths");
        Map<String, List<Endpoint>> byPath = new TreeMap<>();
        for (Endpoint e : endpoints) {
            byPath.computeIfAbsent(e.path(), p -> new java.util.ArrayList<>()).add(e);
        }
        byPath.forEach((path, list) -> {
            ObjectNode item = paths.putObject(path);
            for (Endpoint e : list) {
                ObjectNode op = item.putObject(e.method().toLowerCase(java.util.Locale.ROOT));
                op.put("summary", e.summary());
                op.put("operationId", e.method().toLowerCase(java.util.Locale.ROOT)
                        + path.replaceAll("[^A-Za-z0-9]+", "_"));
                ArrayNode roles = op.putArray("x-roles");
                e.roles().stream().map(Role::dbValue).sorted().forEach(roles::add);
                ArrayNode parameters = op.putArray("parameters");
                for (String name : e.pathNames()) {
                    parameters.addObject().put("name", name).put("in", "path").put("required", true)
                            .putObject("schema").put("type", "string");
                }
                ObjectNode responses = op.putObject("responses");
                responses.putObject("200").put("description", "done; JSON");
                if (e.open()) {
                    op.putArray("security");
                    responses.putObject("401").put("description", "sign-in failed");
                } else {
                    ArrayNode security = op.putArray("security");
                    security.addObject().putArray("session");
                    security.addObject().putArray("token");
                    responses.putObject("401").put("description", "no or unknown credentials");
                    responses.putObject("403").put("description", "the caller's role may not do this, or a browser "
                            + "change without the X-CSRF-Token header");
                }
            }
        });
        return root.toPrettyString();
    }
}
