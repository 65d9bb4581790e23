package org.careline.consent;

import com.fasterxml.jackson.databind.JsonNode;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.Siu;
import org.careline.support.StaffClient;
import org.careline.support.TestMappings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Staff record a patient's consent over the API (POST /api/v1/patients/{id}/consent), as a paper form says. */
class StaffConsentApiTest {

    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, ZoneId.of("America/Detroit")).toInstant();
    private static final String PASSWORD = "consent-password-123";

    private EngineFixture fx;

    @AfterEach
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    private void user(StaffClient admin, String name, String role, String sites) {
        assertThat(admin.post("/api/v1/users", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD
                + "\",\"roles\":[\"" + role + "\"],\"sites\":" + sites + "}").status()).isEqualTo(201);
    }

    @Test
    void staffRecordAGrantFromAPaperFormAndTheHeldConfirmationGoes() throws Exception {
        Path mappings = TestMappings.copy();
        String from = "    matches: [\"GH Clinic\", \"GHH Hospital\", \"GHHSFacility\"]\n";
        TestMappings.edit(mappings, "sites.yaml", text -> text.replace(from, from + "    consent: opt-in\n"));
        fx = EngineFixture.start(Map.of("CARELINE_MAPPINGS_DIR", mappings.toString(), "CARELINE_ADMIN_PASSWORD",
                PASSWORD), NOW);
        Flow.accepted(fx, Siu.booking(NOW.plus(Duration.ofDays(3))));
        await().atMost(Duration.ofSeconds(10)).until(() -> !Flow.requestsFor(fx, "messaging_consent").isEmpty());
        Flow.awaitIdle(fx);
        long patient = ((Number) fx.query("SELECT id FROM patient").get(0).get("ID")).longValue();
        StaffClient admin = new StaffClient(fx.httpPort()).signedIn("admin", PASSWORD);
        user(admin, "desk", "staff", "[\"gh-clinic\"]");
        user(admin, "elsewhere", "staff", "[\"royal-london\"]");
        StaffClient desk = new StaffClient(fx.httpPort()).signedIn("desk", PASSWORD);
        String path = "/api/v1/patients/" + patient + "/consent";

        // What cannot be recorded: a value staff may not set, no value, a note too long; a patient outside the
        // caller's sites is as unknown as one that does not exist.
        assertThat(desk.post(path, "{\"value\":\"protected\"}").status()).isEqualTo(400);
        assertThat(desk.post(path, "{\"note\":\"form 12\"}").status()).isEqualTo(400);
        assertThat(desk.post(path, "{\"value\":\"granted\",\"note\":\"" + "x".repeat(501) + "\"}").status())
                .isEqualTo(400);
        assertThat(desk.post("/api/v1/patients/999999/consent", "{\"value\":\"granted\"}").status()).isEqualTo(404);
        StaffClient other = new StaffClient(fx.httpPort()).signedIn("elsewhere", PASSWORD);
        assertThat(other.post(path, "{\"value\":\"granted\"}").status()).isEqualTo(404);
        assertThat(fx.count("SELECT COUNT(*) FROM consent_event")).isZero();

        StaffClient.Answer a = desk.post(path, "{\"value\":\"granted\",\"note\":\"paper form PF-2030-17\"}");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().path("changed").asBoolean()).isTrue();
        assertThat(a.json().path("released").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !Flow.requestsFor(fx, "appointment_confirmation").isEmpty());

        // Again: already so, nothing written.
        StaffClient.Answer again = desk.post(path, "{\"value\":\"granted\"}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("changed").asBoolean()).isFalse();

        JsonNode report = desk.get(path).json();
        assertThat(report.path("consent").asText()).isEqualTo("granted");
        assertThat(report.path("history")).singleElement().satisfies(h -> {
            assertThat(h.path("value").asText()).isEqualTo("granted");
            assertThat(h.path("source").asText()).isEqualTo("staff:desk");
            assertThat(h.path("note").asText()).isEqualTo("paper form PF-2030-17");
        });
        assertThat(fx.query("SELECT actor, outcome, detail FROM audit_event WHERE action = 'record_consent' "
                + "ORDER BY id")).extracting(r -> r.get("ACTOR") + " " + r.get("OUTCOME") + " " + r.get("DETAIL"))
                .containsExactly("desk denied outside the caller's sites", // the patient who does not exist
                        "elsewhere denied outside the caller's sites",
                        "desk ok granted released=1 cancelled=0", "desk unchanged granted");
        assertThat(fx.query("SELECT actor FROM audit_event WHERE action = 'consent.granted'")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("ACTOR", "staff:desk"));
        // The note is free text: never in the trail.
        assertThat(fx.count("SELECT COUNT(*) FROM audit_event WHERE detail LIKE '%PF-2030%'")).isZero();

        // A refusal cancels what still waits (the reminders), as the patient's NO does.
        StaffClient.Answer refused = admin.post(path, "{\"value\":\"refused\"}");
        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.json().path("cancelled").asInt()).isPositive();
        assertThat(fx.query("SELECT status FROM outbox WHERE kind = 'REMINDER'"))
                .allSatisfy(r -> assertThat(r).containsEntry("STATUS", "CANCELLED"));
    }
}
