package org.careline.support;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Small steps the flow tests share: send over MLLP, read the outbox, wait for the dispatcher to go idle. */
public final class Flow {

    private Flow() {
    }

    /** Sends the message over MLLP and checks it was accepted (AA). */
    public static void accepted(EngineFixture fx, Siu siu) throws IOException {
        try (MllpClient client = fx.mllp()) {
            String ack = client.send(siu.build());
            assertThat(MllpClient.field(ack, "MSA", 1)).as("ACK of %s", siu.controlId()).isEqualTo("AA");
        }
    }

    /** The appointment's outbox rows, oldest first, with KIND, LABEL, DUE_AT (as Instant), STATUS and the rest. */
    public static List<Map<String, Object>> outbox(EngineFixture fx, String fillerId) throws SQLException {
        List<Map<String, Object>> rows = fx.query("SELECT o.* FROM outbox o JOIN appointment a ON a.id = o.appointment_id "
                + "WHERE a.external_id = ? ORDER BY o.id", fillerId);
        rows.forEach(r -> r.computeIfPresent("DUE_AT", (k, v) -> instant(v)));
        return rows;
    }

    /** The outbox row of the appointment with this label that is still live (not CANCELLED), or fails. */
    public static Map<String, Object> row(EngineFixture fx, String fillerId, String label) throws SQLException {
        List<Map<String, Object>> rows = outbox(fx, fillerId).stream()
                .filter(r -> label.equals(r.get("LABEL")) && !"CANCELLED".equals(r.get("STATUS"))).toList();
        assertThat(rows).as("live outbox rows labelled %s", label).hasSize(1);
        return rows.get(0);
    }

    /**
     * Waits until the dispatcher has dealt with everything due by the test clock: no PENDING row due now and no
     * row being sent. Anything the engine was going to send at this time has then reached the stub.
     */
    public static void awaitIdle(EngineFixture fx) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            OffsetDateTime now = OffsetDateTime.ofInstant(fx.clock.instant(), ZoneOffset.UTC);
            return fx.count("SELECT COUNT(*) FROM outbox WHERE (status = 'PENDING' AND due_at <= ?) "
                    + "OR status = 'SENDING'", now) == 0;
        });
    }

    /** Requests the stub received for one template name. */
    public static List<MetaStub.Received> requestsFor(EngineFixture fx, String templateName) {
        return fx.meta.received().stream()
                .filter(r -> templateName.equals(r.json().path("template").path("name").asText()))
                .toList();
    }

    /** The text of each body parameter of a template send, in order. */
    public static List<String> bodyParameters(MetaStub.Received request) {
        List<String> texts = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode component : request.json().path("template").path("components")) {
            if ("body".equals(component.path("type").asText())) {
                component.path("parameters").forEach(p -> texts.add(p.path("text").asText(null)));
            }
        }
        return texts;
    }

    /** A TIMESTAMP WITH TIME ZONE value as JDBC hands it back. */
    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (value instanceof ZonedDateTime t) {
            return t.toInstant();
        }
        if (value instanceof Instant t) {
            return t;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalArgumentException("not a timestamp: " + value.getClass());
    }
}
