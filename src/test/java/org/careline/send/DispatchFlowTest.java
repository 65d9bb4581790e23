package org.careline.send;

import com.fasterxml.jackson.databind.JsonNode;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MetaStub;
import org.careline.support.MllpClient;
import org.careline.support.Siu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** SIU in over MLLP → outbox → Cloud API request at the stand-in, checked as Meta would see it. */
class DispatchFlowTest {

    // A Tuesday at 14:00 in Detroit: outside quiet hours, so the confirmation goes at once.
    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, ZoneId.of("America/Detroit")).toInstant();
    /** Friday 2030-03-08 14:00 in Detroit, three days ahead: its 48h reminder is due Wednesday 14:00. */
    private static final Instant START = NOW.plus(Duration.ofDays(3));
    private static final Instant JUST_PAST_48H = START.minus(Duration.ofHours(48)).plus(Duration.ofMinutes(1));

    private EngineFixture fx;

    @BeforeEach
    void start() throws Exception {
        // The engine's default zone is far from the site's (Detroit), so a time or quiet hour taken in the wrong
        // zone shows; the fixture's own default (New York) keeps the same clock time as Detroit.
        fx = EngineFixture.start(Map.of("CARELINE_TIMEZONE", "Asia/Tokyo"), NOW);
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    @Test
    void bookingSendsConfirmationTemplateToCloudApi() throws Exception {
        Instant start = NOW.plus(Duration.ofDays(3));
        Siu siu = Siu.booking(start);
        try (MllpClient client = fx.mllp()) {
            String ack = client.send(siu.build());
            assertThat(MllpClient.field(ack, "MSA", 1)).isEqualTo("AA");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.meta.received().size() == 1);
        MetaStub.Received r = fx.meta.received().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/v23.0/" + EngineFixture.PHONE_NUMBER_ID + "/messages");
        assertThat(r.header("Authorization")).isEqualTo("Bearer " + EngineFixture.TOKEN);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode json = r.json();
        assertThat(json.path("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(json.path("to").asText()).isEqualTo("16082719000");
        assertThat(json.path("type").asText()).isEqualTo("template");
        assertThat(json.path("template").path("name").asText()).isEqualTo("appointment_confirmation");
        assertThat(json.path("template").path("language").path("code").asText()).isEqualTo("en_US");
        JsonNode params = json.path("template").path("components").path(0).path("parameters");
        assertThat(params).hasSize(6);
        assertThat(params.get(0).path("text").asText()).isEqualTo("Jane");
        assertThat(params.get(1).path("text").asText()).isEqualTo("Dr Anna Smith");
        assertThat(params.get(2).path("text").asText()).isEqualTo("Friday, March 8, 2030");
        assertThat(params.get(3).path("text").asText()).isEqualTo("2:00 PM");
        assertThat(params.get(4).path("text").asText()).isEqualTo("GH Clinic");

        await().atMost(Duration.ofSeconds(5)).until(() ->
                fx.count("SELECT COUNT(*) FROM outbox WHERE status = 'SENT' AND wamid = 'wamid.TEST1'") == 1);
        List<String> pending = fx.query("SELECT label FROM outbox WHERE status = 'PENDING' ORDER BY due_at").stream()
                .map(row -> (String) row.get("LABEL")).toList();
        assertThat(pending).containsExactly("48h", "2h");
    }

    @Test
    void reminderCarriesTheAppointmentsDetailsInThePatientsLanguage() throws Exception {
        Siu siu = Siu.booking(START).language("es")
                .note("Ayuno de 8 horas.\tTraiga su tarjeta     de seguro ")
                .moreNotes("Llegue 15 minutos antes");
        Flow.accepted(fx, siu);
        awaitSent(siu, "confirmation");
        // What the feed sent really has a tab and a run of spaces, so the parameter check below can fail.
        assertThat((String) fx.query("SELECT instructions FROM appointment WHERE external_id = ?", siu.fillerId())
                .get(0).get("INSTRUCTIONS")).contains("\t", "     ");

        fx.clock.set(JUST_PAST_48H);
        await().atMost(Duration.ofSeconds(10)).until(() -> Flow.requestsFor(fx, "appointment_reminder").size() == 1);
        JsonNode json = Flow.requestsFor(fx, "appointment_reminder").get(0).json();
        assertThat(json.path("template").path("language").path("code").asText()).isEqualTo("es");
        List<String> params = Flow.bodyParameters(Flow.requestsFor(fx, "appointment_reminder").get(0));
        assertThat(params).hasSize(8);
        assertThat(params.subList(0, 6)).containsExactly(
                "Jane",
                "Dr Anna Smith",
                // CLDR's Spanish as written in the United States (the site's country): es-US, a 12-hour clock
                // ("p.\u00a0m." with CLDR's no-break space)
                "viernes, 8 de marzo de 2030",
                "2:00 p.\u00a0m.",
                "GH Clinic",
                "1000 Hospital Lane, Ann Arbor, MI");
        // gh-clinic's pin in mappings/sites.yaml: latitude 42.2808, longitude -83.7430
        Matcher map = Pattern.compile("https://maps\\.google\\.com/\\?q=(-?\\d+(?:\\.\\d+)?),(-?\\d+(?:\\.\\d+)?)")
                .matcher(params.get(6));
        assertThat(map.matches()).as("map link %s", params.get(6)).isTrue();
        assertThat(Double.parseDouble(map.group(1))).isCloseTo(42.2808, within(1e-9));
        assertThat(Double.parseDouble(map.group(2))).isCloseTo(-83.7430, within(1e-9));
        assertThat(params.get(7)).isEqualTo("Ayuno de 8 horas. Traiga su tarjeta de seguro Llegue 15 minutos antes");
        assertNoBreakingWhitespace(fx.meta.received());
        Flow.awaitIdle(fx);
        assertThat(Flow.row(fx, siu.fillerId(), "48h")).containsEntry("STATUS", "SENT");
    }

    @Test
    void lineBreaksInStoredInstructionsNeverReachAParameter() throws Exception {
        // A raw LF cannot arrive in an HL7 field (it separates segments), but instructions are rendered from the
        // stored row at send time, and a row can hold one (another feed, an edit in the database).
        Siu siu = Siu.booking(START);
        Flow.accepted(fx, siu);
        awaitSent(siu, "confirmation");
        try (var c = fx.engine.database().dataSource().getConnection();
             var ps = c.prepareStatement("UPDATE appointment SET instructions = ? WHERE external_id = ?")) {
            ps.setString(1, "Line one\r\nLine two\n\n\tindented    text");
            ps.setString(2, siu.fillerId());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }

        fx.clock.set(JUST_PAST_48H);
        await().atMost(Duration.ofSeconds(10)).until(() -> Flow.requestsFor(fx, "appointment_reminder").size() == 1);
        List<String> params = Flow.bodyParameters(Flow.requestsFor(fx, "appointment_reminder").get(0));
        assertThat(params.get(7)).isEqualTo("Line one Line two indented text");
        assertNoBreakingWhitespace(fx.meta.received());
    }

    static Stream<Arguments> retryableAnswers() {
        return Stream.of(
                Arguments.of(500, MetaStub.graphError(131000, "Something went wrong"), 131000),
                Arguments.of(429, MetaStub.graphError(130429, "Rate limit hit"), 130429));
    }

    @ParameterizedTest(name = "HTTP {0}, code {2}")
    @MethodSource("retryableAnswers")
    void retryableErrorIsRetriedAndThenSent(int status, String body, int code) throws Exception {
        fx.meta.replyNext(status, body);
        Siu siu = Siu.booking(START);
        Flow.accepted(fx, siu);

        long id = awaitEvent(siu, "confirmation", "retry");
        Map<String, Object> retrying = Flow.row(fx, siu.fillerId(), "confirmation");
        assertThat(retrying).containsEntry("STATUS", "PENDING").containsEntry("ATTEMPTS", 1)
                .containsEntry("ERROR_CODE", code);
        assertThat(fx.meta.received()).hasSize(1);

        fx.clock.advance(Duration.ofSeconds(5)); // past the backoff (base 100 ms in the fixture)
        awaitSent(siu, "confirmation");
        Map<String, Object> sent = Flow.row(fx, siu.fillerId(), "confirmation");
        assertThat(sent).containsEntry("ATTEMPTS", 2).containsEntry("WAMID", "wamid.TEST1");
        List<MetaStub.Received> requests = fx.meta.received();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).json()).isEqualTo(requests.get(0).json());
        assertThat(events(id)).containsExactly("queued", "retry", "sent");
    }

    @Test
    void aRetryAfterHeaderHoldsTheRetryBackLongerThanTheBackoff() throws Exception {
        fx.meta.replyNext(429, MetaStub.graphError(130429, "Rate limit hit"), Map.of("Retry-After", "120"));
        Siu siu = Siu.booking(START);
        Flow.accepted(fx, siu);

        long id = awaitEvent(siu, "confirmation", "retry");
        assertThat(Flow.row(fx, siu.fillerId(), "confirmation")).containsEntry("STATUS", "PENDING")
                .containsEntry("ERROR_CODE", 130429);
        fx.clock.advance(Duration.ofSeconds(5)); // past the backoff (base 100 ms), not past Retry-After
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> fx.meta.received().size() == 1);

        fx.clock.advance(Duration.ofSeconds(116));
        awaitSent(siu, "confirmation");
        assertThat(fx.meta.received()).hasSize(2);
        assertThat(events(id)).containsExactly("queued", "retry", "sent");
    }

    @Test
    void permanentErrorDeadLettersAtOnceWithoutRetry() throws Exception {
        fx.meta.replyNext(400, MetaStub.graphError(131026, "Message undeliverable"));
        Siu siu = Siu.booking(START);
        Flow.accepted(fx, siu);

        long id = awaitEvent(siu, "confirmation", "dead");
        Map<String, Object> dead = Flow.row(fx, siu.fillerId(), "confirmation");
        assertThat(dead).containsEntry("STATUS", "DEAD").containsEntry("ERROR_CODE", 131026)
                .containsEntry("ATTEMPTS", 1);
        assertThat((String) dead.get("ERROR_REASON")).contains("131026");
        assertThat(events(id)).containsExactly("queued", "dead");

        fx.clock.advance(Duration.ofMinutes(5)); // any backoff would be over
        Flow.awaitIdle(fx);
        assertThat(fx.meta.received()).hasSize(1);
        assertThat(events(id)).containsExactly("queued", "dead");
    }

    @Test
    void expiredTokenPausesAllSendingAndKeepsTheMessageQueued() throws Exception {
        fx.meta.replyNext(401, MetaStub.graphError(190, "Error validating access token: Session has expired"));
        Siu first = Siu.booking(START);
        Flow.accepted(fx, first);

        await().atMost(Duration.ofSeconds(10)).until(() ->
                fx.count("SELECT COUNT(*) FROM alert WHERE kind = 'sending-paused'") == 1);
        Map<String, Object> alert = fx.query("SELECT kind, code, detail, cleared_at FROM alert").get(0);
        assertThat(alert).containsEntry("CODE", 190).containsEntry("CLEARED_AT", null);
        Map<String, Object> held = Flow.row(fx, first.fillerId(), "confirmation");
        assertThat(held).containsEntry("STATUS", "PENDING").containsEntry("ATTEMPTS", 0);
        assertThat(events(((Number) held.get("ID")).longValue())).containsExactly("queued", "released");

        // More is due now: a second booking's confirmation and the first booking's 48h reminder.
        Siu second = Siu.booking(START.plus(Duration.ofHours(1)));
        Flow.accepted(fx, second);
        fx.clock.set(JUST_PAST_48H);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> fx.meta.received().size() == 1);
        assertThat(fx.count("SELECT COUNT(*) FROM outbox WHERE status = 'PENDING' AND due_at <= ?",
                java.time.OffsetDateTime.ofInstant(fx.clock.instant(), java.time.ZoneOffset.UTC))).isEqualTo(3);
        assertThat(fx.count("SELECT COUNT(*) FROM outbox WHERE status IN ('DEAD', 'SENT', 'SENDING')")).isZero();

        // What staff see at GET /api/v1/health (GET /health tells strangers only UP or DOWN).
        assertThat(fx.engine.camelContext().getRegistry().lookupByNameAndType("health",
                org.careline.health.HealthCheck.class).report().sending()).isEqualTo("paused");
    }

    @Test
    void restrictedAccountPausesSendingLikeAnExpiredTokenInsteadOfDeadLetteringTheQueue() throws Exception {
        fx.meta.replyNext(400, MetaStub.graphError(368, "Temporarily blocked for policies violations"));
        Siu first = Siu.booking(START);
        Flow.accepted(fx, first);

        await().atMost(Duration.ofSeconds(10)).until(() ->
                fx.count("SELECT COUNT(*) FROM alert WHERE kind = 'sending-paused'") == 1);
        assertThat(fx.query("SELECT code, cleared_at FROM alert").get(0))
                .containsEntry("CODE", 368).containsEntry("CLEARED_AT", null);
        Siu second = Siu.booking(START.plus(Duration.ofHours(1)));
        Flow.accepted(fx, second);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> fx.meta.received().size() == 1);
        assertThat(Flow.row(fx, first.fillerId(), "confirmation")).containsEntry("STATUS", "PENDING");
        assertThat(Flow.row(fx, second.fillerId(), "confirmation")).containsEntry("STATUS", "PENDING");
        assertThat(fx.count("SELECT COUNT(*) FROM outbox WHERE status = 'DEAD'")).isZero();
    }

    @Test
    void optedOutPatientIsSkippedAndNotSent() throws Exception {
        Siu siu = Siu.booking(START);
        Flow.accepted(fx, siu);
        awaitSent(siu, "confirmation");

        try (var c = fx.engine.database().dataSource().getConnection();
             var ps = c.prepareStatement("UPDATE patient SET opted_out = TRUE WHERE id = "
                     + "(SELECT patient_id FROM appointment WHERE external_id = ?)")) {
            ps.setString(1, siu.fillerId());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        fx.clock.set(JUST_PAST_48H);

        await().atMost(Duration.ofSeconds(10)).until(() ->
                "SKIPPED".equals(Flow.row(fx, siu.fillerId(), "48h").get("STATUS")));
        assertThat(Flow.row(fx, siu.fillerId(), "48h")).containsEntry("ERROR_REASON", "patient opted out");
        Flow.awaitIdle(fx);
        assertThat(fx.meta.received()).hasSize(1); // the confirmation, before the opt-out
        assertThat(Flow.row(fx, siu.fillerId(), "2h")).containsEntry("STATUS", "PENDING");
    }

    @Test
    void requestBodiesHaveTheShapeOfTheSpecsTemplateExamples() throws Exception {
        assumeTrue(CloudApiShapeTest.specOrNull() != null, "Cloud API OpenAPI spec not found (../shared/oracles/whatsapp)");
        Siu siu = Siu.booking(START).language("es");
        Flow.accepted(fx, siu);
        awaitSent(siu, "confirmation");
        fx.clock.set(JUST_PAST_48H);
        awaitSent(siu, "48h");

        List<MetaStub.Received> requests = fx.meta.received();
        assertThat(requests).extracting(r -> r.json().path("template").path("name").asText())
                .containsExactly("appointment_confirmation", "appointment_reminder");
        for (MetaStub.Received r : requests) {
            CloudApiShapeTest.assertShapedLikeTemplateExamples(r.json());
        }
    }

    private void awaitSent(Siu siu, String label) {
        await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(Flow.row(fx, siu.fillerId(), label).get("STATUS")));
    }

    /** Waits for the message to log the event; returns the outbox id. */
    private long awaitEvent(Siu siu, String label, String event) throws Exception {
        long id = ((Number) Flow.row(fx, siu.fillerId(), label).get("ID")).longValue();
        await().atMost(Duration.ofSeconds(10)).until(() -> events(id).contains(event));
        return id;
    }

    private List<String> events(long outboxId) throws Exception {
        return fx.query("SELECT event FROM message_event WHERE outbox_id = ? ORDER BY id", outboxId).stream()
                .map(r -> (String) r.get("EVENT")).toList();
    }

    static void assertNoBreakingWhitespace(List<MetaStub.Received> requests) {
        assertThat(requests).isNotEmpty();
        for (MetaStub.Received r : requests) {
            assertThat(Flow.bodyParameters(r)).isNotEmpty().allSatisfy(p -> assertThat(p)
                    .doesNotContain("\n", "\r", "\t", "    ").isNotBlank());
        }
    }
}
