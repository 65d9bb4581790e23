package org.careline.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.careline.model.InboundMessage;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MetaStub;
import org.careline.support.MetaWebhooks;
import org.careline.support.Siu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replies through the engine: a patient's message arrives as a signed webhook, and what follows is checked where
 * it lands — the Cloud API stand-in, the write-back queue, staff handoffs, opt-outs.
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
    void aThankYouIsRecordedButNotAnswered() throws Exception {
        receive(new InboundMessage(wamid(), PHONE, NOW, "text", "Thank you!", null, null, null, null));
        Flow.awaitIdle(fx);
        assertThat(fx.meta.received()).isEmpty();
        assertThat(fx.count("SELECT COUNT(*) FROM staff_handoff")).isZero();
        assertThat(fx.query("SELECT intent FROM inbound_reply").get(0)).containsEntry("INTENT", "THANKS");
    }

    @Test
    void aReactionGetsNoAnswer() throws Exception {
        receive(new InboundMessage(wamid(), PHONE, NOW, "reaction", "\uD83D\uDC4D", null, null, null, null));
        Flow.awaitIdle(fx);
        assertThat(fx.meta.received()).isEmpty();
        assertThat(fx.query("SELECT intent FROM inbound_reply").get(0)).containsEntry("INTENT", "IGNORED");
    }

    @Test
    void aMessageDeliveredAfterTheWindowClosedGetsNoFreeFormReply() throws Exception {
        // Meta retries webhook deliveries for days: this message was written 25 hours ago, so the 24-hour window it
        // opened has closed, and a free-form answer may not go out any more.
        receive(new InboundMessage(wamid(), PHONE, NOW.minus(Duration.ofHours(25)), "text", "HELP", null, null, null,
                null));
        Flow.awaitIdle(fx);
        assertThat(fx.meta.received()).isEmpty();
        assertThat(fx.query("SELECT status, error_reason FROM outbox WHERE kind = 'TEXT'")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("STATUS", "SKIPPED")
                        .containsEntry("ERROR_REASON", "outside the 24-hour customer-service window"));
        // The handoff still reaches staff.
        assertThat(fx.query("SELECT reason FROM staff_handoff")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("REASON", "HELP"));
    }

    /**
     * Sends the patient's message as Meta would: a webhook POST to the real endpoint, signed with the app secret,
     * shaped as the spec's examples (text, button, reaction); then waits until the engine has acted on it.
     */
    private void receive(InboundMessage m) {
        ObjectNode payload = MetaWebhooks.textMessage(m.wamid(), m.fromE164().substring(1), m.sentAt());
        ObjectNode message = (ObjectNode) MetaWebhooks.messages(payload).get(0);
        message.put("type", m.type());
        message.remove("text");
        switch (m.type()) {
            case "text" -> message.putObject("text").put("body", m.text());
            case "button" -> message.putObject("button").put("text", m.text()).put("payload", m.payload());
            case "reaction" -> message.putObject("reaction").put("message_id", "wamid.earlier").put("emoji", m.text());
            default -> throw new IllegalArgumentException("no shape for " + m.type());
        }
        if (m.contextWamid() != null) {
            message.putObject("context").put("from", "15550783881").put("id", m.contextWamid());
        }
        assertThat(MetaWebhooks.post(fx, payload).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> !fx.query(
                "SELECT id FROM inbound_reply WHERE wamid = ? AND intent IS NOT NULL", m.wamid()).isEmpty());
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
