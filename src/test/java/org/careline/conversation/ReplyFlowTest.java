package org.careline.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import org.careline.ingest.whatsapp.InboundMessage;
import org.careline.ingest.whatsapp.InboundMessageSink;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MetaStub;
import org.careline.support.Siu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replies through the engine: a recorded patient message goes to the conversation handler (as the webhook
 * processor hands it over), and what follows is checked where it lands — the Cloud API stand-in, the write-back
 * queue, staff handoffs, opt-outs.
 */
class ReplyFlowTest {

    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, ZoneId.of("America/Detroit")).toInstant();
    private static final String PHONE = "+16082719000";

    private EngineFixture fx;
    private Siu booking;

    @BeforeEach
    void start() throws Exception {
        fx = EngineFixture.start(Map.of(), NOW);
        booking = Siu.booking(NOW.plus(Duration.ofDays(3)));
        Flow.accepted(fx, booking);
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.meta.received().size() == 1); // the confirmation
        fx.meta.clear();
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    @Test
    void quickReplyConfirmTiesToTheTemplateItAnswersAndTellsTheSchedulingSystem() throws Exception {
        String templateWamid = (String) fx.query("SELECT wamid FROM outbox WHERE kind = 'CONFIRMATION'").get(0).get("WAMID");
        receive(new InboundMessage(wamid(), PHONE, NOW, "button", "Confirm", "CONFIRM", templateWamid, null, null));

        JsonNode reply = awaitOneRequest();
        assertThat(reply.path("type").asText()).isEqualTo("text");
        assertThat(reply.path("to").asText()).isEqualTo("16082719000");
        assertThat(reply.path("text").path("body").asText()).startsWith("Thank you, your appointment is confirmed");
        assertThat(fx.query("SELECT action, status FROM writeback_request")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("ACTION", "CONFIRM").containsEntry("STATUS", "PENDING"));
        assertThat(fx.query("SELECT confirmed_at FROM appointment WHERE external_id = ?", booking.fillerId()).get(0)
                .get("CONFIRMED_AT")).isNotNull();
        assertThat(fx.query("SELECT intent, appointment_id FROM inbound_reply").get(0)).containsEntry("INTENT", "CONFIRM");
    }

    @Test
    void aButtonPayloadNamesItsAppointmentEvenWhenItIsNotTheNextOne() throws Exception {
        Siu later = Siu.booking(NOW.plus(Duration.ofDays(10))); // same patient and phone, a later visit
        Flow.accepted(fx, later);
        fx.clock.set(NOW.plus(Duration.ofDays(8)).plus(Duration.ofMinutes(1))); // its 48h reminder is due
        await().atMost(Duration.ofSeconds(10)).until(() -> !Flow.requestsFor(fx, "appointment_reminder").isEmpty());
        JsonNode reminder = Flow.requestsFor(fx, "appointment_reminder").get(0).json();
        JsonNode cancelButton = reminder.path("template").path("components").get(3); // body, then 3 buttons
        assertThat(cancelButton.path("type").asText()).isEqualTo("button");
        assertThat(cancelButton.path("sub_type").asText()).isEqualTo("quick_reply");
        assertThat(cancelButton.path("index").asText()).isEqualTo("2");
        String payload = cancelButton.path("parameters").get(0).path("payload").asText();
        long laterId = ((Number) fx.query("SELECT id FROM appointment WHERE external_id = ?", later.fillerId())
                .get(0).get("ID")).longValue();
        assertThat(payload).isEqualTo("CANCEL:" + laterId);
        fx.meta.clear();

        // The press arrives without its context (e.g. the template was forwarded): the payload still decides.
        receive(new InboundMessage(wamid(), PHONE, fx.clock.instant(), "button", "Cancel", payload, null, null, null));
        assertThat(awaitOneRequest().path("text").path("body").asText()).startsWith("Thank you. We have asked");
        assertThat(fx.query("SELECT action, appointment_id FROM writeback_request")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("ACTION", "CANCEL")
                        .containsEntry("APPOINTMENT_ID", laterId));
    }

    @Test
    void freeTextIsTiedToTheNextAppointmentAndUnderstoodInAnyConfiguredLanguage() throws Exception {
        // No context, no payload: the patient's next upcoming appointment. The patient's language is English
        // (PID-15), so the Spanish keyword is understood and the answer is in English.
        receive(new InboundMessage(wamid(), PHONE, NOW, "text", "¡Cambiar cita!", null, null, null, null));
        assertThat(awaitOneRequest().path("text").path("body").asText())
                .isEqualTo("Thank you. The clinic will contact you to propose a new time.");
        assertThat(fx.query("SELECT w.action, a.external_id FROM writeback_request w "
                + "JOIN appointment a ON a.id = w.appointment_id")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("ACTION", "CHANGE")
                        .containsEntry("EXTERNAL_ID", booking.fillerId()));
    }

    @Test
    void aSpanishSpeakingPatientGetsSpanishTexts() throws Exception {
        Siu spanish = Siu.booking(NOW.plus(Duration.ofDays(4))).language("es").phone("^PRN^CP^^1^608^2719001")
                .patientId("MRN-ES");
        Flow.accepted(fx, spanish);
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.meta.received().size() == 1);
        fx.meta.clear();
        receive(new InboundMessage(wamid(), "+16082719001", NOW, "text", "cancelar", null, null, null, null));
        JsonNode reply = awaitOneRequest();
        assertThat(reply.path("text").path("body").asText()).startsWith("Gracias. Hemos pedido a la clínica");
        assertThat(fx.query("SELECT action FROM writeback_request")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("ACTION", "CANCEL"));
    }

    @Test
    void locationSendsTheSitesMapPin() throws Exception {
        receive(new InboundMessage(wamid(), PHONE, NOW, "text", "3", null, null, null, null));
        JsonNode reply = awaitOneRequest();
        assertThat(reply.path("type").asText()).isEqualTo("location");
        assertThat(reply.path("location").path("latitude").asDouble()).isEqualTo(42.2808);
        assertThat(reply.path("location").path("longitude").asDouble()).isEqualTo(-83.7430);
        assertThat(reply.path("location").path("name").asText()).isEqualTo("GH Clinic");
        assertThat(reply.path("location").path("address").asText()).isEqualTo("1000 Hospital Lane, Ann Arbor, MI");
    }

    @Test
    void helpSendsTheClinicPhoneAndHandsOverToStaff() throws Exception {
        receive(new InboundMessage(wamid(), PHONE, NOW, "text", "HELP", null, null, null, null));
        assertThat(awaitOneRequest().path("text").path("body").asText()).contains("+1 608 271 9000");
        assertThat(fx.query("SELECT reason, urgent FROM staff_handoff")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("REASON", "HELP").containsEntry("URGENT", false));
    }

    @Test
    void emergencyWordsWinOverEverythingEvenAfterStop() throws Exception {
        receive(new InboundMessage(wamid(), PHONE, NOW, "text", "STOP", null, null, null, null));
        assertThat(awaitOneRequest().path("text").path("body").asText()).startsWith("You will no longer receive");
        fx.meta.clear();
        receive(new InboundMessage(wamid(), PHONE, NOW, "text", "I have chest pain", null, null, null, null));
        assertThat(awaitOneRequest().path("text").path("body").asText()).contains("call 911");
        assertThat(fx.query("SELECT reason, urgent FROM staff_handoff")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("REASON", "EMERGENCY").containsEntry("URGENT", true));
    }

    @Test
    void stopOptsOutOfEverythingUntilStartAndConfirmsOnce() throws Exception {
        receive(new InboundMessage(wamid(), PHONE, NOW, "text", "Stop", null, null, null, null));
        receive(new InboundMessage(wamid(), PHONE, NOW, "text", "STOP!", null, null, null, null));
        assertThat(awaitOneRequest().path("text").path("body").asText()).startsWith("You will no longer receive");
        // Reminders and replies alike stop: the 48h reminder comes due and is skipped; "help" gets no answer.
        receive(new InboundMessage(wamid(), PHONE, NOW, "text", "help", null, null, null, null));
        fx.clock.set(NOW.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(1)));
        Flow.awaitIdle(fx);
        assertThat(fx.meta.received()).hasSize(1);
        assertThat(fx.query("SELECT error_reason FROM outbox WHERE label = '48h'").get(0).get("ERROR_REASON"))
                .isEqualTo("patient opted out");

        fx.meta.clear();
        receive(new InboundMessage(wamid(), PHONE, fx.clock.instant(), "text", "START", null, null, null, null));
        assertThat(awaitOneRequest().path("text").path("body").asText()).startsWith("Welcome back");
    }

    @Test
    void anythingElseGetsTheMenuAndAStaffHandoff() throws Exception {
        receive(new InboundMessage(wamid(), PHONE, NOW, "text", "Is there parking nearby?", null, null, null, null));
        assertThat(awaitOneRequest().path("text").path("body").asText()).contains("1 Confirm").contains("4 Speak to staff");
        assertThat(fx.query("SELECT reason FROM staff_handoff")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("REASON", "NOT_UNDERSTOOD"));
    }

    @Test
    void aReactionGetsNoAnswer() throws Exception {
        receive(new InboundMessage(wamid(), PHONE, NOW, "reaction", "\uD83D\uDC4D", null, null, null, null));
        Flow.awaitIdle(fx);
        assertThat(fx.meta.received()).isEmpty();
        assertThat(fx.query("SELECT intent FROM inbound_reply").get(0)).containsEntry("INTENT", "IGNORED");
    }

    @Test
    void freeFormRepliesWaitForNoOneOutsideThe24HourWindow() throws Exception {
        receive(new InboundMessage(wamid(), PHONE, NOW, "text", "HELP", null, null, null, null));
        // The reply is due now, but suppose the engine could not send for a day (e.g. paused): by then the window
        // is closed and a free-form text may not go out.
        fx.clock.set(NOW.plus(Duration.ofHours(25)));
        Flow.awaitIdle(fx);
        assertThat(fx.query("SELECT status, error_reason FROM outbox WHERE kind = 'TEXT'")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("STATUS", "SKIPPED")
                        .containsEntry("ERROR_REASON", "outside the 24-hour customer-service window"));
    }

    /** Records the message as the webhook processor does (inbound_reply + window) and hands it to the handler. */
    private void receive(InboundMessage m) {
        InboundMessageSink sink = fx.engine.camelContext().getRegistry()
                .lookupByNameAndType("inboundMessageSink", InboundMessageSink.class);
        Instant now = fx.clock.instant();
        fx.engine.database().inTransaction(c -> {
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO inbound_reply (wamid, from_phone, message_type, "
                    + "context_wamid, content, recorded_at) VALUES (?, ?, ?, ?, ?, ?)", new String[]{"id"})) {
                ps.setString(1, m.wamid());
                ps.setString(2, m.fromE164());
                ps.setString(3, m.type());
                ps.setString(4, m.contextWamid());
                ps.setString(5, m.text());
                ps.setObject(6, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                ps.executeUpdate();
                var keys = ps.getGeneratedKeys();
                keys.next();
                id = keys.getLong(1);
            }
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO contact_preference (phone_e164, last_inbound_at, "
                    + "updated_at) KEY (phone_e164) VALUES (?, ?, ?)")) {
                ps.setString(1, m.fromE164());
                ps.setObject(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                ps.setObject(3, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                ps.executeUpdate();
            }
            sink.accept(c, m, id, now);
            return null;
        });
    }

    private JsonNode awaitOneRequest() {
        return awaitRequests(1).get(0);
    }

    private List<JsonNode> awaitRequests(int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.meta.received().size() >= n);
        Flow.awaitIdle(fx);
        List<MetaStub.Received> received = fx.meta.received();
        assertThat(received).hasSize(n);
        return received.stream().map(MetaStub.Received::json).toList();
    }

    private static String wamid() {
        return "wamid.IN" + UUID.randomUUID();
    }
}
