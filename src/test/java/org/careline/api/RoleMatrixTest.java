package org.careline.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.careline.support.EngineFixture;
import org.careline.support.StaffClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint × every role, over HTTP: without credentials 401, with a role not listed 403, with a listed role
 * neither. The expected matrix is written here, apart from the engine's own table, and must name exactly the
 * endpoints the engine describes in /openapi.json: a new endpoint fails this test until someone decides who may
 * call it. Calls use ids that do not exist, so allowed changes find nothing to change. The matrix is written to
 * target/role-matrix.md.
 */
class RoleMatrixTest {

    /** method path → the roles allowed ("open": no sign-in needed). */
    static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("POST /session", "open");
        EXPECTED.put("GET /session", "admin staff analyst auditor");
        EXPECTED.put("DELETE /session", "admin staff analyst auditor");
        EXPECTED.put("GET /openapi.json", "admin staff analyst auditor");
        EXPECTED.put("GET /users", "admin");
        EXPECTED.put("POST /users", "admin");
        EXPECTED.put("POST /tokens", "admin");
        EXPECTED.put("GET /audit", "admin auditor");
        EXPECTED.put("GET /queues", "admin staff");
        EXPECTED.put("GET /handoffs", "admin staff");
        EXPECTED.put("GET /handoffs/{id}", "admin staff");
        EXPECTED.put("POST /handoffs/{id}/claim", "admin staff");
        EXPECTED.put("POST /handoffs/{id}/reply", "admin staff");
        EXPECTED.put("POST /handoffs/{id}/follow-up", "admin staff");
        EXPECTED.put("POST /handoffs/{id}/note", "admin staff");
        EXPECTED.put("POST /handoffs/{id}/resolve", "admin staff");
        EXPECTED.put("POST /handoffs/{id}/release", "admin staff");
        EXPECTED.put("GET /patients/{id}/timeline", "admin staff");
        EXPECTED.put("GET /patients/{id}/consent", "admin staff");
        EXPECTED.put("POST /patients/{id}/consent", "admin staff");
        EXPECTED.put("GET /alerts", "admin staff analyst");
        EXPECTED.put("GET /health", "admin analyst");
        EXPECTED.put("POST /alerts/{id}/ack", "admin staff analyst");
        EXPECTED.put("GET /inbound", "admin analyst");
        EXPECTED.put("GET /inbound/fhir", "admin analyst");
        EXPECTED.put("POST /inbound/{id}/replay", "admin analyst");
        EXPECTED.put("GET /dead-letters", "admin analyst");
        EXPECTED.put("POST /dead-letters/{id}/retry", "admin analyst");
        EXPECTED.put("POST /dead-letters/{id}/discard", "admin analyst");
        EXPECTED.put("GET /patients", "admin staff");
        EXPECTED.put("POST /patients/{id}/hold", "admin");
        EXPECTED.put("DELETE /patients/{id}/hold", "admin");
        EXPECTED.put("POST /patients/{id}/erasure", "admin");
        EXPECTED.put("GET /patients/{id}/export", "admin");
        EXPECTED.put("POST /reports", "admin staff");
        EXPECTED.put("GET /reports", "admin staff");
        EXPECTED.put("GET /reports/{id}/csv", "admin staff");
        EXPECTED.put("GET /reports/{id}/pdf", "admin staff");
        EXPECTED.put("GET /stats/summary", "admin staff");
        EXPECTED.put("GET /stats/messages", "admin staff");
        EXPECTED.put("GET /stats/replies", "admin staff");
        EXPECTED.put("GET /stats/queues", "admin staff");
        EXPECTED.put("GET /stats/no-shows", "admin staff");
        EXPECTED.put("GET /stats/failures", "admin staff");
        EXPECTED.put("GET /stats/results", "admin staff");
        EXPECTED.put("GET /stats/sites", "admin staff");
        EXPECTED.put("POST /portal/link-opened", "portal");
    }

    static final List<String> ROLES = List.of("staff", "analyst", "auditor", "admin", "portal");
    static final String PASSWORD = "matrix-password-123";
    static EngineFixture engine;

    @BeforeAll
    static void start() throws Exception {
        engine = EngineFixture.start(Map.of("CARELINE_ADMIN_PASSWORD", PASSWORD), Instant.now());
        StaffClient admin = new StaffClient(engine.httpPort()).signedIn("admin", PASSWORD);
        for (String role : ROLES) {
            StaffClient.Answer a = admin.post("/api/v1/users", "{\"username\":\"matrix-" + role + "\",\"password\":\""
                    + PASSWORD + "\",\"roles\":[\"" + role + "\"]}");
            assertThat(a.status()).as(a.body()).isEqualTo(201);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        engine.close();
    }

    @Test
    void theMatrixNamesExactlyTheEndpointsTheApiDescribes() {
        JsonNode doc = new StaffClient(engine.httpPort()).signedIn("matrix-admin", PASSWORD)
                .get("/api/v1/openapi.json").json();
        Set<String> described = new TreeSet<>();
        Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> p = paths.next();
            p.getValue().fieldNames().forEachRemaining(m -> described.add(m.toUpperCase() + " " + p.getKey()));
            p.getValue().fields().forEachRemaining(op -> {
                List<String> roles = new ArrayList<>();
                op.getValue().get("x-roles").forEach(r -> roles.add(r.asText()));
                String expected = EXPECTED.get(op.getKey().toUpperCase() + " " + p.getKey());
                if (expected != null) {
                    assertThat(new TreeSet<>(roles)).as(op.getKey() + " " + p.getKey())
                            .isEqualTo(expected.equals("open") ? Set.of() : new TreeSet<>(List.of(expected.split(" "))));
                }
            });
        }
        assertThat(described).isEqualTo(new TreeSet<>(EXPECTED.keySet()));
    }

    @Test
    void everyEndpointAnswersEachRoleAsTheMatrixSays() throws Exception {
        StringBuilder table = new StringBuilder("| endpoint | none | " + String.join(" | ", ROLES) + " |\n|---|---|"
                + "---|".repeat(ROLES.size()) + "\n");
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> e : EXPECTED.entrySet()) {
            String method = e.getKey().split(" ", 2)[0];
            String path = "/api/v1" + e.getKey().split(" ", 2)[1].replaceAll("\\{[a-zA-Z]+}", "999999");
            boolean open = e.getValue().equals("open");
            table.append("| `").append(e.getKey()).append("` | ");
            int anonymous = call(new StaffClient(engine.httpPort()), method, path);
            table.append(anonymous).append(" |");
            // signing in itself is open: an empty body is a failed sign-in (401), never a 403
            if (open ? anonymous == 403 : anonymous != 401) {
                wrong.add(e.getKey() + " without credentials: " + anonymous);
            }
            for (String role : ROLES) {
                // a fresh session per call: DELETE /session ends the one it is sent with
                StaffClient c = new StaffClient(engine.httpPort()).signedIn("matrix-" + role, PASSWORD);
                int status = call(c, method, path);
                boolean allowed = open || List.of(e.getValue().split(" ")).contains(role);
                table.append(' ').append(status).append(allowed ? "" : " ✗").append(" |");
                if (open ? status == 403 : allowed ? status == 401 || status == 403 : status != 403) {
                    wrong.add(e.getKey() + " as " + role + ": " + status);
                }
            }
            table.append('\n');
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/role-matrix.md"), table.toString());
        assertThat(wrong).isEmpty();
    }

    /** One call with an empty JSON object as the body of a change. */
    private static int call(StaffClient c, String method, String path) {
        return c.send(method, path, method.equals("GET") || method.equals("DELETE") ? null : "{}", true).status();
    }
}
