package org.careline.consent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MetaWebhooks;
import org.careline.support.Siu;
import org.careline.support.TestMappings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Consent through the engine's real interfaces: SIU over MLLP in, signed webhooks in, and what the Cloud API stand-in
 * received (or did not).
 */
class ConsentFlowTest {

    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, ZoneId.of("America/Detroit")).toInstant();
    private static final String PHONE = "+16082719000";

    private EngineFixture fx;

    @AfterEach
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void aProtectedPatientGetsNothingEvenAtAnOptOutSite() throws Exception {
        fx = EngineFixture.start(Map.of(), NOW);
        Flow.accepted(fx, Siu.booking(NOW.plus(Duration.ofDays(3))).afterPid("PD1||||||||||||Y"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !fx.query(
                "SELECT id FROM outbox WHERE kind = 'CONFIRMATION' AND status = 'SKIPPED'").isEmpty());
        Flow.awaitIdle(fx);
        assertThat(fx.meta.received()).isEmpty();
        assertThat(fx.query("SELECT error_reason FROM outbox WHERE kind = 'CONFIRMATION'").get(0))
                .containsEntry("ERROR_REASON", "patient protected: never message");
        assertThat(fx.query("SELECT consent_value, source FROM consent_event")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("CONSENT_VALUE", "PROTECTED")
                        .containsEntry("SOURCE", "hl7:EHR|HOSP"));
        assertThat(fx.query("SELECT actor, action, subject FROM audit_event WHERE action LIKE 'consent.%'"))
                .singleElement().satisfies(r -> assertThat(r).containsEntry("ACTOR", "hl7:EHR|HOSP")
                        .containsEntry("ACTION", "consent.protected"));
    }

    @Test
    void anOptInSiteSendsOnlyTheOptInTemplateUntilTheYesThenTheConfirmation() throws Exception {
        fx = EngineFixture.start(Map.of("CARELINE_MAPPINGS_DIR", optInMappings().toString()), NOW);
        Flow.accepted(fx, Siu.booking(NOW.plus(Duration.ofDays(3))));
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.meta.received().size() >= 1);
        Flow.awaitIdle(fx);
        assertThat(fx.meta.received()).hasSize(1);
        assertThat(Flow.requestsFor(fx, "messaging_consent")).hasSize(1);
        assertThat(fx.query("SELECT status, error_reason FROM outbox WHERE kind = 'CONFIRMATION'").get(0))
                .containsEntry("STATUS", "PENDING").containsEntry("ERROR_REASON", "held: awaiting consent");
        String optIn = (String) fx.query("SELECT wamid FROM outbox WHERE kind = 'OPT_IN'").get(0).get("WAMID");
        long appointment = ((Number) fx.query("SELECT id FROM appointment").get(0).get("ID")).longValue();
        fx.meta.clear();

        pressButton("Yes", "OPT_IN_YES:" + appointment, optIn);

        await().atMost(Duration.ofSeconds(10)).until(() -> !Flow.requestsFor(fx, "appointment_confirmation").isEmpty());
        Flow.awaitIdle(fx);
        assertThat(fx.meta.received()).hasSize(1); // the confirmation, nothing more
        assertThat(fx.query("SELECT consent FROM patient").get(0)).containsEntry("CONSENT", "GRANTED");
        assertThat(fx.query("SELECT consent_value, source FROM consent_event")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("CONSENT_VALUE", "GRANTED")
                        .containsEntry("SOURCE", "patient-reply"));
        assertThat(fx.query("SELECT actor FROM audit_event WHERE action = 'consent.granted'")).hasSize(1);
    }

    @Test
    void aNoToTheOptInTemplateCancelsWhatWasHeld() throws Exception {
        fx = EngineFixture.start(Map.of("CARELINE_MAPPINGS_DIR", optInMappings().toString()), NOW);
        Flow.accepted(fx, Siu.booking(NOW.plus(Duration.ofDays(3))));
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.meta.received().size() >= 1);
        Flow.awaitIdle(fx);
        String optIn = (String) fx.query("SELECT wamid FROM outbox WHERE kind = 'OPT_IN'").get(0).get("WAMID");
        fx.meta.clear();

        pressButton("No", "OPT_IN_NO", optIn);

        assertThat(fx.query("SELECT consent FROM patient").get(0)).containsEntry("CONSENT", "REFUSED");
        assertThat(fx.query("SELECT status FROM outbox WHERE kind IN ('CONFIRMATION', 'REMINDER')"))
                .allSatisfy(r -> assertThat(r).containsEntry("STATUS", "CANCELLED"));
        Flow.awaitIdle(fx);
        assertThat(fx.meta.received()).isEmpty();
    }

    private static Path optInMappings() throws Exception {
        Path dir = TestMappings.copy();
        String from = "    matches: [\"GH Clinic\", \"GHH Hospital\", \"GHHSFacility\"]\n";
        TestMappings.edit(dir, "sites.yaml", text -> {
            assertThat(text).contains(from);
            return text.replace(from, from + "    consent: opt-in\n");
        });
        return dir;
    }

    private void pressButton(String title, String payload, String contextWamid) {
        String wamid = "wamid.IN" + UUID.randomUUID();
        ObjectNode body = MetaWebhooks.textMessage(wamid, PHONE.substring(1), NOW);
        ObjectNode message = (ObjectNode) MetaWebhooks.messages(body).get(0);
        message.put("type", "button");
        message.remove("text");
        message.putObject("button").put("text", title).put("payload", payload);
        message.putObject("context").put("from", "15550783881").put("id", contextWamid);
        assertThat(MetaWebhooks.post(fx, body).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> !fx.query(
                "SELECT id FROM inbound_reply WHERE wamid = ? AND intent IS NOT NULL", wamid).isEmpty());
    }
}
