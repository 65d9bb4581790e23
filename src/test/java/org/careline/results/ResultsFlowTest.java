package org.careline.results;

import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MetaStub;
import org.careline.support.MllpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ORU^R01 and MDM^T02 over a real MLLP connection → result notices in the outbox → the Cloud API stand-in. The
 * site is gh-clinic (MSH-4 "GH Clinic", America/Detroit, quiet hours 21:00–08:00); NOW is a Tuesday 14:00 there.
 */
class ResultsFlowTest {

    private static final ZoneId DETROIT = ZoneId.of("America/Detroit");
    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, DETROIT).toInstant();
    private static final String SECRET = "portal-secret-for-tests-32-bytes";
    private static final String PORTAL = "https://portal.example.org/results";
    private static final String MOBILE = "^PRN^CP^^1^608^2719000";

    private EngineFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = EngineFixture.start(Map.of("CARELINE_PORTAL_LINK_SECRET", SECRET, "CARELINE_PORTAL_URL", PORTAL), NOW);
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    /** One order of an ORU: numbers, OBR-4 code and OBR-24 section, OBR-25 status (or "" and OBX-11 statuses). */
    record Order(String placer, String filler, String code, String section, String obr25, String... obx11) {
        static Order of(String filler, String status) {
            return new Order("PL-" + filler, filler, "2345-7", "CH", status);
        }
    }

    private static String oru(String mrn, String phone, Order... orders) {
        List<String> s = new ArrayList<>();
        s.add("MSH|^~\\&|LAB|GH Clinic|CARELINE|CL|20300305140000||ORU^R01|" + UUID.randomUUID() + "|P|2.5.1");
        s.add("PID|1||" + mrn + "^^^HOSP^MR||DOE^JANE||19800101|F|||||" + phone + "||en");
        s.add("PV1|1|O");
        int i = 1;
        for (Order o : orders) {
            s.add("ORC|RE|" + o.placer() + "|" + o.filler());
            String[] obr = new String[26];
            Arrays.fill(obr, "");
            obr[0] = "OBR";
            obr[1] = String.valueOf(i++);
            obr[2] = o.placer();
            obr[3] = o.filler();
            obr[4] = o.code() + "^SECRET TEST NAME^LN";
            obr[7] = "20300305100000";
            obr[22] = "20300305130000";
            obr[24] = o.section();
            obr[25] = o.obr25();
            s.add(String.join("|", obr));
            String[] statuses = o.obx11().length == 0 ? new String[]{o.obr25()} : o.obx11();
            int n = 1;
            for (String st : statuses) {
                s.add("OBX|" + n++ + "|NM|2345-7^GLUCOSE^LN||182.5|mg/dl|70-105|H|||" + st);
            }
            s.add("NTE|1||SECRET NOTE TEXT");
        }
        return String.join("\r", s);
    }

    private static String controlId(String message) {
        return message.split("\\|", -1)[9];
    }

    private static String newControlId(String message) {
        return message.replace(controlId(message), UUID.randomUUID().toString());
    }

    private String send(String message) throws Exception {
        try (MllpClient c = fx.mllp()) {
            String ack = c.send(message);
            assertThat(MllpClient.field(ack, "MSA", 2)).isEqualTo(controlId(message));
            return MllpClient.field(ack, "MSA", 1);
        }
    }

    private void accepted(String message) throws Exception {
        assertThat(send(message)).isEqualTo("AA");
    }

    private List<MetaStub.Received> notices() {
        return fx.meta.received().stream().filter(r -> r.json().path("template").path("name").asText()
                .matches("results_available|results_updated|document_available")).toList();
    }

    private List<Map<String, Object>> noticeRows() throws Exception {
        List<Map<String, Object>> rows = fx.query("SELECT * FROM outbox WHERE result_notice_id IS NOT NULL ORDER BY id");
        rows.forEach(r -> r.computeIfPresent("DUE_AT", (k, v) -> Flow.instant(v)));
        return rows;
    }

    /** Issue 14: PD1-12 Y in a result message's patient (the same piece as SIU's) marks them never to message. */
    @Test
    void aProtectionIndicatorInAResultMessageStopsItsNoticeAndIsInTheTrail() throws Exception {
        accepted(oru("MRN9", MOBILE, Order.of("F-9", "F")).replace("\rPV1|1|O", "\rPD1||||||||||||Y\rPV1|1|O"));
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.count(
                "SELECT COUNT(*) FROM outbox WHERE result_notice_id IS NOT NULL AND status = 'SKIPPED'") == 1);
        Flow.awaitIdle(fx);
        assertThat(notices()).isEmpty();
        assertThat(fx.query("SELECT error_reason FROM outbox WHERE result_notice_id IS NOT NULL").get(0))
                .containsEntry("ERROR_REASON", "patient protected: never message");
        assertThat(fx.query("SELECT consent_value, source FROM consent_event")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("CONSENT_VALUE", "PROTECTED")
                        .containsEntry("SOURCE", "hl7:LAB|GH Clinic"));
        assertThat(fx.query("SELECT do_not_message FROM patient").get(0)).containsEntry("DO_NOT_MESSAGE", true);
    }

    @Test
    void finalResultIsAnnouncedOnceWithFirstNameFacilityAndAVerifiablePortalLinkOnly() throws Exception {
        String m = oru("MRN1", MOBILE, Order.of("F-1", "F"));
        accepted(m);
        await().atMost(Duration.ofSeconds(10)).until(() -> notices().size() == 1);
        MetaStub.Received sent = notices().get(0);
        assertThat(sent.json().path("template").path("name").asText()).isEqualTo("results_available");
        assertThat(sent.json().path("to").asText()).isEqualTo("16082719000");
        List<String> params = Flow.bodyParameters(sent);
        assertThat(params).hasSize(3);
        assertThat(params.subList(0, 2)).containsExactly("Jane", "GH Clinic");
        assertThat(params.get(2)).startsWith(PORTAL + "/v1.");
        String token = params.get(2).substring(PORTAL.length() + 1);
        PortalLink verifier = new PortalLink(PORTAL, SECRET);
        String ref = verifier.verify(token, NOW).orElseThrow();
        // The reference leads the portal to the patient and the order.
        assertThat(fx.query("SELECT r.order_key FROM result_notice n JOIN result_notice_order l ON l.notice_id = n.id "
                + "JOIN result_order r ON r.id = l.order_id WHERE n.reference = ?", ref))
                .extracting(r -> r.get("ORDER_KEY")).containsExactly("PL-F-1|F-1");
        assertThat(verifier.verify(token, NOW.plus(Duration.ofDays(31)))).isEmpty();
        assertThat(new PortalLink(PORTAL, "a-wrong-secret-that-is-32-bytes!").verify(token, NOW)).isEmpty();
        assertThat(sent.body()).doesNotContain("SECRET", "GLUCOSE", "182.5", "2345-7", "MRN1", "DOE");

        // The same final again (a new MSH-10): no second notice. The very same message again: same ACK, no effect.
        accepted(newControlId(m));
        accepted(m);
        fx.clock.advance(Duration.ofHours(1));
        Flow.awaitIdle(fx);
        assertThat(notices()).hasSize(1);
        assertThat(fx.count("SELECT COUNT(*) FROM inbound_message WHERE message_type = 'ORU^R01'")).isEqualTo(2);
    }

    @Test
    void correctionSendsUpdatedResultsAndIsNotFoldedPreliminarySendsNothing() throws Exception {
        accepted(oru("MRN2", MOBILE, Order.of("P-1", "P")));
        Flow.awaitIdle(fx);
        assertThat(noticeRows()).isEmpty();

        accepted(oru("MRN2", MOBILE, Order.of("P-1", "F")));
        await().atMost(Duration.ofSeconds(10)).until(() -> notices().size() == 1);
        fx.clock.advance(Duration.ofMinutes(2)); // well inside the fold window
        accepted(oru("MRN2", MOBILE, Order.of("P-1", "C")));
        await().atMost(Duration.ofSeconds(10)).until(() -> notices().size() == 2);
        assertThat(notices()).extracting(r -> r.json().path("template").path("name").asText())
                .containsExactly("results_available", "results_updated");
        assertThat(Flow.bodyParameters(notices().get(1)).get(2)).startsWith(PORTAL + "/v1.");
    }

    @Test
    void severalOrdersInOneOruMakeOneNoticeAndEmptyObr25IsJudgedByObx11() throws Exception {
        accepted(oru("MRN3", MOBILE, Order.of("M-1", "F"), Order.of("M-2", "F"),
                new Order("PL-M-3", "M-3", "2345-7", "CH", "", "F", "F"),
                new Order("PL-M-4", "M-4", "2345-7", "CH", "", "F", "P")));
        Flow.awaitIdle(fx);
        assertThat(notices()).hasSize(1);
        assertThat(fx.query("SELECT r.order_key FROM result_notice_order l JOIN result_order r ON r.id = l.order_id "
                + "ORDER BY r.order_key")).extracting(r -> r.get("ORDER_KEY"))
                .containsExactly("PL-M-1|M-1", "PL-M-2|M-2", "PL-M-3|M-3");
        assertThat(fx.query("SELECT status FROM result_order WHERE order_key = 'PL-M-4|M-4'").get(0))
                .containsEntry("STATUS", "P");
    }

    @Test
    void finalsWithinTheWindowAreFoldedAndLaterOnesAnnouncedAgain() throws Exception {
        accepted(oru("MRN4", MOBILE, Order.of("W-1", "F")));
        await().atMost(Duration.ofSeconds(10)).until(() -> notices().size() == 1);
        fx.clock.advance(Duration.ofMinutes(10));
        accepted(oru("MRN4", MOBILE, Order.of("W-2", "F")));
        Flow.awaitIdle(fx);
        assertThat(notices()).hasSize(1);
        assertThat(noticeRows()).hasSize(1);
        assertThat(fx.count("SELECT COUNT(*) FROM result_notice_order")).isEqualTo(2);

        fx.clock.advance(Duration.ofMinutes(6)); // 16 min after the announcement
        accepted(oru("MRN4", MOBILE, Order.of("W-3", "F")));
        await().atMost(Duration.ofSeconds(10)).until(() -> notices().size() == 2);
    }

    @Test
    void heldCategoryIsNeverAnnouncedAndPathologyIsReleasedAfterItsDelay() throws Exception {
        accepted(oru("MRN5", MOBILE, new Order("PL-H", "H-1", "56888-1", "CH", "F")));
        accepted(oru("MRN5", MOBILE, new Order("PL-S", "S-1", "88305", "SP", "F")));
        Flow.awaitIdle(fx);
        assertThat(notices()).isEmpty();
        assertThat(fx.query("SELECT held, category FROM result_order WHERE order_key = 'PL-H|H-1'").get(0))
                .containsEntry("HELD", true).containsEntry("CATEGORY", "hiv");
        assertThat(noticeRows()).singleElement().satisfies(r ->
                assertThat(r.get("DUE_AT")).isEqualTo(NOW.plus(Duration.ofHours(72))));

        fx.clock.advance(Duration.ofHours(71));
        Flow.awaitIdle(fx);
        assertThat(notices()).isEmpty();
        fx.clock.advance(Duration.ofHours(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> notices().size() == 1);
        fx.clock.advance(Duration.ofDays(30));
        Flow.awaitIdle(fx);
        assertThat(notices()).hasSize(1); // the held result never goes out
    }

    @Test
    void cancelledOrderWithdrawsItsPendingNotice() throws Exception {
        accepted(oru("MRN6", MOBILE, new Order("PL-X", "X-1", "88305", "SP", "F")));
        assertThat(noticeRows()).singleElement().satisfies(r -> assertThat(r.get("STATUS")).isEqualTo("PENDING"));
        accepted(oru("MRN6", MOBILE, new Order("PL-X", "X-1", "88305", "SP", "X")));
        assertThat(noticeRows()).singleElement().satisfies(r -> assertThat(r.get("STATUS")).isEqualTo("CANCELLED"));
        fx.clock.advance(Duration.ofHours(73));
        Flow.awaitIdle(fx);
        assertThat(notices()).isEmpty();
    }

    @Test
    void quietHoursDelayANoticeAndXWithdrawsIt() throws Exception {
        fx.clock.set(ZonedDateTime.of(2030, 3, 5, 22, 0, 0, 0, DETROIT).toInstant());
        accepted(oru("MRN7", MOBILE, Order.of("Q-1", "F")));
        assertThat(noticeRows()).singleElement().satisfies(r -> assertThat(r.get("DUE_AT"))
                .isEqualTo(ZonedDateTime.of(2030, 3, 6, 8, 0, 0, 0, DETROIT).toInstant()));
        accepted(oru("MRN7", MOBILE, Order.of("Q-1", "X")));
        assertThat(noticeRows()).singleElement().satisfies(r -> assertThat(r.get("STATUS")).isEqualTo("CANCELLED"));
    }

    @Test
    void unreachablePatientIsAcceptedAndNothingIsQueued() throws Exception {
        accepted(oru("MRN8", "", Order.of("U-1", "F")));
        Flow.awaitIdle(fx);
        assertThat(fx.count("SELECT COUNT(*) FROM outbox")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM result_order")).isEqualTo(1);
    }

    @Test
    void missingOrderNumbersAreAnsweredAe() throws Exception {
        String m = oru("MRN9", MOBILE, new Order("", "", "2345-7", "CH", "F")).replace("ORC|RE||\r", "");
        assertThat(send(m)).isEqualTo("AE");
        assertThat(fx.count("SELECT COUNT(*) FROM outbox")).isZero();
    }

    @Test
    void signedDocumentGetsDocumentAvailableOnce() throws Exception {
        String mdm = String.join("\r",
                "MSH|^~\\&|DOCS|GH Clinic|CARELINE|CL|20300305140000||MDM^T02^MDM_T02|" + UUID.randomUUID() + "|P|2.5",
                "EVN|T02|20300305140000",
                "PID|1||MRN10^^^HOSP^MR||DOE^JANE||19800101|F|||||" + MOBILE + "||en",
                "PV1|1|O",
                "TXA|1|DS|TX|20300305130000||||||||DOC-1|||||AU||AV",
                "OBX|1|TX|DS^Discharge summary||SECRET DIAGNOSIS TEXT||||||F");
        accepted(mdm);
        await().atMost(Duration.ofSeconds(10)).until(() -> notices().size() == 1);
        MetaStub.Received sent = notices().get(0);
        assertThat(sent.json().path("template").path("name").asText()).isEqualTo("document_available");
        assertThat(sent.body()).doesNotContain("SECRET", "Discharge");
        assertThat(Flow.bodyParameters(sent).get(2)).startsWith(PORTAL + "/v1.");
        accepted(newControlId(mdm).replace("MDM^T02^MDM_T02", "MDM^T04^MDM_T02"));
        Flow.awaitIdle(fx);
        assertThat(notices()).hasSize(1);
    }
}
