package org.careline.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MetaWebhooks;
import org.careline.support.MllpClient;
import org.careline.support.Siu;
import org.careline.support.StaffClient;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The "done when" for erasure, shared by the H2 and PostgreSQL tests: a patient goes through booking (SIU
 * S12 over MLLP), a reminder, a reply (signed webhook) that lands in a triage queue, a result notice (ORU) and a staff
 * answer and note; a second patient is booked; the first is erased over the API (refused while on legal hold).
 */
final class ErasureFlow {

    static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, ZoneId.of("America/Detroit")).toInstant();
    static final String PASSWORD = "erasure-test-password";

    // The patient to erase: names and an MRN nothing else in the database could contain by chance.
    static final String FAMILY = "ZANZIBAROVA";
    static final String GIVEN = "QUINTESSA";
    static final String MRN = "MRNZQ778899";
    static final String PHONE_XTN = "^PRN^CP^^1^608^2719000";
    static final String DIGITS = "16082719000";
    // The patient who stays.
    static final String OTHER_FAMILY = "OAKENSHIELDX";
    static final String OTHER_GIVEN = "BARTHOLOMEWY";
    static final String OTHER_MRN = "MRNOB445566";
    static final String OTHER_XTN = "^PRN^CP^^1^608^2719001";

    static Map<String, String> env() {
        return Map.of("CARELINE_ADMIN_PASSWORD", PASSWORD, "CARELINE_PORTAL_LINK_SECRET",
                "portal-secret-for-erasure-tests-32bytes!", "CARELINE_PORTAL_URL", "https://portal.example.org/results");
    }

    /** Every way the erased patient could be written: name, MRN, number in its usual forms (lower case). */
    static List<String> erasedForms() {
        return List.of(FAMILY, GIVEN, MRN, DIGITS, "+" + DIGITS, "6082719000", "(608) 271-9000", "608-271-9000",
                "608 271 9000", "+1 608-271-9000").stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    /** Runs both patients through the engine and erases the first; returns the erased patient's id. */
    static long runAndErase(EngineFixture fx) throws Exception {
        // Booking three days ahead: the confirmation at once, the 48-hour reminder a day later.
        Siu booking = Siu.booking(NOW.plus(Duration.ofDays(3))).patientId(MRN).patientName(FAMILY + "^" + GIVEN)
                .phone(PHONE_XTN).note("Bring the letter for " + GIVEN + " " + FAMILY);
        Flow.accepted(fx, booking);
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.meta.received().size() >= 1);
        fx.clock.advance(Duration.ofHours(25));
        Flow.awaitIdle(fx);
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.meta.received().size() >= 2);

        // The patient writes; the message needs a person (results queue) and is acknowledged.
        int before = fx.meta.received().size();
        String wamid = "wamid.IN" + UUID.randomUUID();
        ObjectNode payload = MetaWebhooks.textMessage(wamid, DIGITS, fx.clock.instant());
        ((ObjectNode) MetaWebhooks.messages(payload).get(0)).putObject("text")
                .put("body", "Are my test results back? This is " + GIVEN + " " + FAMILY + ", " + MRN);
        assertThat(postWebhook(fx, payload)).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> !fx.query(
                "SELECT id FROM inbound_reply WHERE wamid = ? AND intent IS NOT NULL", wamid).isEmpty());
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.meta.received().size() > before);

        // A result notice from the lab.
        String oru = String.join("\r",
                "MSH|^~\\&|LAB|GH Clinic|CARELINE|CL|20300305140000||ORU^R01|" + UUID.randomUUID() + "|P|2.5.1",
                "PID|1||" + MRN + "^^^HOSP^MR||" + FAMILY + "^" + GIVEN + "||19800101|F|||||" + PHONE_XTN + "||en",
                "PV1|1|O", "ORC|RE|PL-Z1|F-Z1",
                "OBR|1|PL-Z1|F-Z1|2345-7^GLUCOSE^LN|||20300305100000|||||||||||||||20300305130000||CH|F",
                "OBX|1|NM|2345-7^GLUCOSE^LN||182.5|mg/dl|70-105|H|||F");
        try (MllpClient c = fx.mllp()) {
            assertThat(MllpClient.field(c.send(oru), "MSA", 1)).isEqualTo("AA");
        }
        Flow.awaitIdle(fx);
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.count(
                "SELECT COUNT(*) FROM outbox WHERE result_notice_id IS NOT NULL AND status = 'SENT'") == 1);

        // Staff answer and note (signed in after the clock moved: a session lasts less than a day).
        StaffClient admin = new StaffClient(fx.httpPort()).signedIn("admin", PASSWORD);
        JsonNode items = admin.get("/api/v1/handoffs?queue=results&status=OPEN").json();
        assertThat(items.isArray()).as(items.toString()).isTrue();
        assertThat(items).hasSize(1);
        String item = "/api/v1/handoffs/" + items.get(0).get("id").asLong();
        assertThat(admin.post(item + "/claim", "{}").status()).isEqualTo(200);
        StaffClient.Answer replied = admin.post(item + "/reply", "{\"text\":\"Dear " + GIVEN + " " + FAMILY
                + ", your results are in the portal.\"}");
        assertThat(replied.status()).as(replied.body()).isEqualTo(200);
        assertThat(admin.post(item + "/note", "{\"text\":\"Called " + FAMILY + " on " + DIGITS + "\"}").status())
                .isEqualTo(200);
        Flow.awaitIdle(fx);

        // The second patient.
        Flow.accepted(fx, Siu.booking(NOW.plus(Duration.ofDays(9))).patientId(OTHER_MRN)
                .patientName(OTHER_FAMILY + "^" + OTHER_GIVEN).phone(OTHER_XTN));
        Flow.awaitIdle(fx);

        // A clerk finds the patient by MRN and by number (any way it is typed); the number comes back masked.
        StaffClient.Answer found = admin.get("/api/v1/patients?mrn=" + MRN);
        JsonNode byMrn = found.json().get("patients");
        // Two rows: the scheduling feed's and the lab's; one person, erased together below.
        assertThat(byMrn).as(found.body()).hasSize(2);
        long id = byMrn.get(0).get("id").asLong();
        assertThat(byMrn.get(0).get("phoneMasked").asText()).isEqualTo("+1 608 \u2022\u2022\u2022 \u2022\u202200");
        JsonNode byPhone = admin.get("/api/v1/patients?phone=(608)%20271-9000").json().get("patients");
        assertThat(byPhone).hasSize(2);
        assertThat(byPhone.get(0).get("id").asLong()).isEqualTo(id);
        assertThat(admin.get("/api/v1/patients?mrn=x&phone=1").status()).isEqualTo(400);
        assertThat(admin.get("/api/v1/patients").status()).isEqualTo(400);

        // The access request holds what the patient wrote and what staff wrote.
        StaffClient.Answer export = admin.get("/api/v1/patients/" + id + "/export");
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.body()).contains("Are my test results back?", "your results are in the portal", MRN);
        assertThat(export.json().get("consent").isArray()).as("consent history").isTrue();

        // Legal hold: erasure is refused until it is lifted.
        assertThat(admin.post("/api/v1/patients/" + id + "/hold", "{}").status()).isEqualTo(200);
        assertThat(admin.post("/api/v1/patients/" + id + "/erasure", "{}").status()).isEqualTo(409);
        assertThat(admin.delete("/api/v1/patients/" + id + "/hold").status()).isEqualTo(200);

        // A pending reminder that must not go out any more.
        assertThat(fx.count("SELECT COUNT(*) FROM outbox o JOIN appointment a ON a.id = o.appointment_id "
                + "WHERE a.patient_id = ? AND o.status = 'PENDING'", id)).isPositive();
        StaffClient.Answer erased = admin.post("/api/v1/patients/" + id + "/erasure", "{}");
        assertThat(erased.status()).as(erased.body()).isEqualTo(200);
        assertThat(erased.json().get("numberKept").asBoolean()).isFalse();
        assertThat(erased.json().get("patientIds")).hasSize(2);
        assertThat(fx.count("SELECT COUNT(*) FROM outbox o JOIN appointment a ON a.id = o.appointment_id "
                + "WHERE a.patient_id = ? AND o.status = 'PENDING'", id)).isZero();
        assertThat(admin.post("/api/v1/patients/" + id + "/erasure", "{}").status()).isEqualTo(409);
        assertThat(fx.count("SELECT COUNT(*) FROM patient_erasure")).isEqualTo(1);
        assertThat(admin.get("/api/v1/patients?mrn=" + MRN).json().get("patients")).isEmpty();
        // The trail: the erasure, the searches (their kind of key only).
        String trail = admin.get("/api/v1/audit?patient=" + id).body();
        assertThat(trail).contains("\"action\":\"erasure\"");
        List<String> searches = new ArrayList<>();
        admin.get("/api/v1/audit?actor=admin").json().forEach(l -> {
            if (l.get("action").asText().equals("search_patient")) {
                searches.add(l.get("subject").asText());
            }
        });
        assertThat(searches).contains("key:mrn", "key:phone");
        assertThat(admin.get("/api/v1/audit").body()).doesNotContain(MRN, DIGITS);
        return id;
    }

    /** A signed webhook; sent again once if the connection was dropped (a loaded machine, a stale keep-alive). */
    private static int postWebhook(EngineFixture fx, ObjectNode payload) {
        try {
            return MetaWebhooks.post(fx, payload).status();
        } catch (java.io.UncheckedIOException e) {
            return MetaWebhooks.post(fx, payload).status();
        }
    }

    private ErasureFlow() {
    }
}
