package org.careline.writeback;

import org.careline.model.WritebackStatus;
import org.careline.store.WritebackRequests;
import org.careline.model.WritebackAction;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MllpClient;
import org.careline.support.SchedulingPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.careline.writeback.Requests.*;

/**
 * Write-back end to end: appointments booked over MLLP, requests queued as the reply handler will queue them, and
 * a real MLLP listener ({@link SchedulingPeer}) in place of the scheduling system, checked for what arrives and
 * how each answer (or silence) leaves the queue. One engine and one peer for the class; each test books its own
 * appointments. (The peer-down and not-configured cases are separate classes: two engines at once in one JVM
 * share camel-quartz's scheduler, and stopping one would delete the other's timers.)
 */
class WritebackFlowTest {

    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    private static PrintStream originalErr;
    private static SchedulingPeer peer;
    private static EngineFixture fx;
    private static HapiContext hapi;

    @BeforeAll
    static void startEngineAndPeer() throws Exception {
        originalErr = System.err;
        System.setErr(new PrintStream(new Requests.Tee(originalErr, LOG), true, StandardCharsets.UTF_8));
        peer = SchedulingPeer.onFreePort();
        peer.start();
        fx = EngineFixture.start(env(peer), NOW);
        hapi = new DefaultHapiContext();
        hapi.getParserConfiguration().setAllowUnknownVersions(true);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (fx != null) {
                fx.close();
            }
            if (peer != null) {
                peer.close();
            }
        } finally {
            System.setErr(originalErr);
        }
    }

    @BeforeEach
    void answerAA() {
        peer.answer(m -> "AA");
    }

    @ParameterizedTest(name = "{0} on a v{1} feed → SRM^{2}")
    @CsvSource({"CONFIRM, 2.3, S03", "CHANGE, 2.5.1, S02", "CANCEL, 2.8, S04", "CONFIRM, 2.4, S03"})
    void eachRequestReachesTheSchedulingSystemInItsFeedsVersionAndAnAaMakesItDone(WritebackAction action, String version,
                                                                                 String trigger) throws Exception {
        Booked appt = book(fx, version);
        long id = enqueue(fx, appt.id(), action);

        await().atMost(WAIT).until(() -> WritebackStatus.DONE.dbValue().equals(status(fx, id)));
        List<String> got = receivedFor(peer, appt.fillerId());
        assertThat(got).hasSize(1);
        Message m = hapi.getPipeParser().parse(got.get(0));
        Terser t = new Terser(m);
        assertThat(t.get("/MSH-9-1")).isEqualTo("SRM");
        assertThat(t.get("/MSH-9-2")).isEqualTo(trigger);
        assertThat(t.get("/MSH-12")).isEqualTo(version);
        assertThat(m.getVersion()).isEqualTo(version);
        assertThat(t.get("/MSH-3")).isEqualTo("CARELINE");
        assertThat(t.get("/MSH-5")).isEqualTo("EHR"); // back to whoever sent the feed
        assertThat(t.get("/MSH-6")).isEqualTo("HOSP");
        assertThat(t.get("/MSH-11")).isEqualTo("P");
        assertThat(t.get("/ARQ-1-1")).isEqualTo(appt.placerId());
        assertThat(t.get("/ARQ-2-1")).isEqualTo(appt.fillerId());
        assertThat(t.get("/.PID-3-1")).isEqualTo(appt.patientId());
        assertThat(t.get("/.PID-3-4-1")).isEqualTo("HOSP");

        Map<String, Object> row = request(fx, id);
        assertThat(row.get("ACK_CODE")).isEqualTo("AA");
        assertThat(row.get("ATTEMPTS")).isEqualTo(1);
        assertThat(row.get("CONTROL_ID")).isEqualTo(t.get("/MSH-10"));
        assertThat(row.get("CLAIMED_BY")).isNull();
    }

    @ParameterizedTest(name = "{0}: rejected, alert, never resent")
    @ValueSource(strings = {"AE", "AR", "CR"})
    void aNegativeAckRejectsTheRequestRaisesAnAlertAndIsNotResent(String code) throws Exception {
        Booked appt = book(fx, "2.5");
        peer.answer(m -> appt.fillerId().equals(arq2(m)) ? code : "AA");
        long alertsBefore = fx.count("SELECT COUNT(*) FROM alert WHERE kind = 'writeback-rejected'");
        long id = enqueue(fx, appt.id(), WritebackAction.CANCEL);

        await().atMost(WAIT).until(() -> WritebackStatus.REJECTED.dbValue().equals(status(fx, id)));
        Map<String, Object> row = request(fx, id);
        assertThat(row.get("ACK_CODE")).isEqualTo(code);
        assertThat((String) row.get("ACK_TEXT")).contains("Request refused").contains(SchedulingPeer.ERROR_TEXT);
        assertThat(row.get("ATTEMPTS")).isEqualTo(1);
        List<Map<String, Object>> alerts = fx.query("SELECT * FROM alert WHERE kind = 'writeback-rejected' "
                + "AND detail LIKE ?", "writeback=" + id + " %");
        assertThat(alerts).hasSize(1);
        assertThat((String) alerts.get(0).get("DETAIL")).contains("ack=" + code).doesNotContain(appt.patientId());
        assertThat(fx.count("SELECT COUNT(*) FROM alert WHERE kind = 'writeback-rejected'")).isEqualTo(alertsBefore + 1);

        // Time passes beyond any retry, and a later request goes through: the rejected one had every chance to
        // be sent again, and was not.
        fx.clock.advance(PAST_ANY_BACKOFF);
        long later = enqueue(fx, book(fx, "2.5").id(), WritebackAction.CONFIRM);
        await().atMost(WAIT).until(() -> WritebackStatus.DONE.dbValue().equals(status(fx, later)));
        assertThat(receivedFor(peer, appt.fillerId())).hasSize(1);
        assertThat(status(fx, id)).isEqualTo(WritebackStatus.REJECTED.dbValue());
    }

    @Test
    void noAnswerKeepsTheRequestPendingAndItIsResentWithTheSameControlIdUntilAnswered() throws Exception {
        Booked appt = book(fx, "2.5");
        peer.answer(m -> appt.fillerId().equals(arq2(m)) ? null : "AA"); // silence: the engine times out
        long id = enqueue(fx, appt.id(), WritebackAction.CONFIRM);

        await().atMost(WAIT).until(() -> attempts(fx, id) >= 1);
        Map<String, Object> row = request(fx, id);
        assertThat(row.get("STATUS")).isEqualTo(WritebackStatus.PENDING.dbValue());
        assertThat(row.get("ACK_CODE")).isNull();
        assertThat((String) row.get("LAST_ERROR")).isEqualTo("MllpAcknowledgementTimeoutException");
        // Backoff from 5 s (less up to half of it for jitter), on the engine's clock.
        assertThat(Flow.instant(row.get("DUE_AT"))).isBetween(fx.clock.instant().plusMillis(2500),
                fx.clock.instant().plusSeconds(5));

        peer.answer(m -> "AA");
        fx.clock.advance(PAST_ANY_BACKOFF);
        await().atMost(WAIT).until(() -> WritebackStatus.DONE.dbValue().equals(status(fx, id)));
        List<String> got = receivedFor(peer, appt.fillerId());
        assertThat(got).hasSize(2);
        assertThat(MllpClient.field(got.get(1), "MSH", 10)).isEqualTo(MllpClient.field(got.get(0), "MSH", 10))
                .isEqualTo(request(fx, id).get("CONTROL_ID"));
        assertThat(attempts(fx, id)).isEqualTo(2);
    }

    @Test
    void requestsForOneAppointmentGoInOrderAndALaterOneWaitsWhileAnEarlierOneIsUnanswered() throws Exception {
        Booked appt = book(fx, "2.5");
        // The first message about this appointment gets no answer; everything after it is accepted.
        peer.answer(m -> appt.fillerId().equals(arq2(m)) && receivedFor(peer, appt.fillerId()).size() == 1 ? null : "AA");
        long[] ids = fx.engine.database().inTransaction(c -> new long[]{
                new WritebackRequests(org.careline.store.crypto.FieldCipher.off()).enqueue(c, appt.id(), WritebackAction.CONFIRM, null, fx.clock.instant()),
                new WritebackRequests(org.careline.store.crypto.FieldCipher.off()).enqueue(c, appt.id(), WritebackAction.CANCEL, null, fx.clock.instant())});
        long first = ids[0];
        long second = ids[1];

        await().atMost(WAIT).until(() -> attempts(fx, first) >= 1);
        // Rounds go on (another appointment's request is sent), but not the cancel behind the unanswered confirm.
        long other = enqueue(fx, book(fx, "2.5").id(), WritebackAction.CHANGE);
        await().atMost(WAIT).until(() -> WritebackStatus.DONE.dbValue().equals(status(fx, other)));
        assertThat(receivedFor(peer, appt.fillerId())).extracting(Requests::trigger).containsExactly("S03");
        assertThat(request(fx, second).get("STATUS")).isEqualTo(WritebackStatus.PENDING.dbValue());
        assertThat(attempts(fx, second)).isZero();

        fx.clock.advance(PAST_ANY_BACKOFF);
        await().atMost(WAIT).until(() -> WritebackStatus.DONE.dbValue().equals(status(fx, second)));
        assertThat(status(fx, first)).isEqualTo(WritebackStatus.DONE.dbValue());
        assertThat(receivedFor(peer, appt.fillerId())).extracting(Requests::trigger)
                .containsExactly("S03", "S03", "S04");
    }

    @Test
    void logsCarryIdsButNoPatientData() throws Exception {
        Booked appt = book(fx, "2.5");
        peer.answer(m -> appt.fillerId().equals(arq2(m)) ? "AE" : "AA");
        long id = enqueue(fx, appt.id(), WritebackAction.CONFIRM);
        await().atMost(WAIT).until(() -> WritebackStatus.REJECTED.dbValue().equals(status(fx, id)));
        // The line is written just after the rejection is committed: wait for it rather than race it.
        await().atMost(WAIT).until(() -> logText().contains("writeback=" + id + " appointment=" + appt.id()));
        String log = logText();
        assertThat(log).doesNotContain(appt.patientId()).doesNotContain(SchedulingPeer.ERROR_TEXT)
                .doesNotContain("Patient confirmed");
    }


    private static String logText() {
        synchronized (LOG) {
            return LOG.toString(StandardCharsets.UTF_8);
        }
    }
}
