package org.careline.operations;

import org.careline.operations.DeadLetters.DeadLetter;
import org.careline.operations.InboundMessages.InboundView;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MetaStub;
import org.careline.support.MllpClient;
import org.careline.support.Siu;
import org.careline.support.TestMappings;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The analyst's actions against a running engine through its real interfaces: a real MLLP client sends the SIU, the
 * Cloud API stand-in answers the sends, and the services are the beans the HTTP API looks up.
 */
class OperationsFlowTest {

    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, ZoneId.of("America/Detroit"))
            .toInstant();
    private static final Instant START = NOW.plus(Duration.ofDays(3));

    private static <T> T bean(EngineFixture fx, String name, Class<T> type) {
        return fx.engine.camelContext().getRegistry().lookupByNameAndType(name, type);
    }

    /**
     * A feed that carries the start only in SCH-11.4, and a mapping that forgot to look there: AE. Once the mapping
     * is fixed (and the engine restarted), the analyst replays the stored message: AA, the booking and its
     * confirmation exist once, and neither a resend nor a second replay applies it again.
     */
    @Test
    void anAeMessageReplayedAfterItsMappingIsFixedIsAppliedOnce() throws Exception {
        Path data = Files.createTempDirectory("careline-replay");
        String dbUrl = "jdbc:h2:file:" + data.resolve("careline") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        Path broken = TestMappings.copy();
        String sch = "    - { path: /.SCH-11-4, as: time }\n";
        TestMappings.edit(broken, "siu.yaml", text -> {
            assertThat(text).contains(sch);
            return text.replace(sch, "");
        });
        Siu siu = Siu.booking(START);

        try (EngineFixture fx = EngineFixture.start(Map.of("CARELINE_DB_URL", dbUrl,
                "CARELINE_MAPPINGS_DIR", broken.toString()), NOW)) {
            try (MllpClient client = fx.mllp()) {
                String ack = client.send(siu.build());
                assertThat(MllpClient.field(ack, "MSA", 1)).isEqualTo("AE");
            }
            assertThat(fx.count("SELECT COUNT(*) FROM appointment WHERE external_id = ?", siu.fillerId())).isZero();
            assertThat(fx.query("SELECT raw_message FROM inbound_message WHERE control_id = ?", siu.controlId())
                    .get(0).get("RAW_MESSAGE")).asString().startsWith("MSH|").contains(siu.fillerId());
        }

        try (EngineFixture fx = EngineFixture.start(Map.of("CARELINE_DB_URL", dbUrl), NOW)) {
            InboundMessages inbound = bean(fx, "inboundMessages", InboundMessages.class);
            List<InboundView> found = inbound.find(siu.controlId(), null, 10);
            assertThat(found).singleElement().satisfies(v -> {
                assertThat(v.ackCode()).isEqualTo("AE");
                assertThat(v.errorCode()).isEqualTo(101);
                assertThat(v.ackText()).contains("start");
                assertThat(v.replayable()).isTrue();
                assertThat(v.sender()).isEqualTo("EHR|HOSP");
            });
            long id = found.get(0).id();

            InboundMessages.ReplayOutcome outcome = inbound.replay(id, "ana", fx.clock.instant());
            assertThat(outcome).isEqualTo(new InboundMessages.Replayed("AA", null));
            assertThat(fx.count("SELECT COUNT(*) FROM appointment WHERE external_id = ?", siu.fillerId()))
                    .isEqualTo(1);
            assertThat(fx.count("SELECT COUNT(*) FROM appointment_event e JOIN appointment a ON a.id = "
                    + "e.appointment_id WHERE a.external_id = ? AND e.inbound_id = ?", siu.fillerId(), id))
                    .isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    "SENT".equals(Flow.row(fx, siu.fillerId(), "confirmation").get("STATUS")));
            assertThat(inbound.get(id)).hasValueSatisfying(v -> {
                assertThat(v.ackCode()).isEqualTo("AA");
                assertThat(v.replayable()).isFalse();
                assertThat(v.replayedBy()).isEqualTo("ana");
            });
            assertThat(fx.query("SELECT previous_ack_code, ack_code, replayed_by FROM inbound_replay "
                    + "WHERE inbound_id = ?", id)).singleElement().isEqualTo(Map.of(
                    "PREVIOUS_ACK_CODE", "AE", "ACK_CODE", "AA", "REPLAYED_BY", "ana"));

            // The sender's resend is now answered AA from memory, and a second replay is refused.
            try (MllpClient client = fx.mllp()) {
                assertThat(MllpClient.field(client.send(siu.build()), "MSA", 1)).isEqualTo("AA");
            }
            assertThat(inbound.replay(id, "bob", fx.clock.instant()))
                    .isEqualTo(new InboundMessages.AlreadyApplied("AA"));
            Flow.awaitIdle(fx);
            assertThat(fx.count("SELECT COUNT(*) FROM appointment WHERE external_id = ?", siu.fillerId()))
                    .isEqualTo(1);
            assertThat(Flow.outbox(fx, siu.fillerId())).filteredOn(r -> "confirmation".equals(r.get("LABEL")))
                    .hasSize(1);
            assertThat(Flow.requestsFor(fx, "appointment_confirmation")).hasSize(1);
            assertThat(inbound.replay(999_999, "ana", fx.clock.instant()))
                    .isEqualTo(new InboundMessages.NotFound());
        }
    }

    @Test
    void anAaMessageIsKeptButNeverReplayed() throws Exception {
        try (EngineFixture fx = EngineFixture.start(Map.of(), NOW)) {
            Siu siu = Siu.booking(START);
            Flow.accepted(fx, siu);
            assertThat(fx.query("SELECT raw_message FROM inbound_message WHERE control_id = ?", siu.controlId())
                    .get(0).get("RAW_MESSAGE")).asString().contains(siu.fillerId());
            InboundMessages inbound = bean(fx, "inboundMessages", InboundMessages.class);
            InboundView view = inbound.find(siu.controlId(), "EHR|HOSP", 5).get(0);
            assertThat(view.replayable()).isFalse();
            assertThat(inbound.replay(view.id(), "ana", fx.clock.instant()))
                    .isEqualTo(new InboundMessages.AlreadyApplied("AA"));
            assertThat(fx.count("SELECT COUNT(*) FROM appointment WHERE external_id = ?", siu.fillerId()))
                    .isEqualTo(1);
            assertThat(fx.count("SELECT COUNT(*) FROM inbound_replay")).isZero();
        }
    }

    /** A permanent Cloud API error dead-letters the confirmation; the analyst's retry sends it, once. */
    @Test
    void aDeadOutboxMessageRetriedIsSentOnce() throws Exception {
        try (EngineFixture fx = EngineFixture.start(Map.of(), NOW)) {
            fx.meta.replyNext(400, MetaStub.graphError(131026, "Message undeliverable"));
            Siu siu = Siu.booking(START);
            Flow.accepted(fx, siu);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    "DEAD".equals(Flow.row(fx, siu.fillerId(), "confirmation").get("STATUS")));
            long rowId = ((Number) Flow.row(fx, siu.fillerId(), "confirmation").get("ID")).longValue();

            DeadLetters deadLetters = bean(fx, "deadLetters", DeadLetters.class);
            List<DeadLetter> list = deadLetters.list(null, 50);
            assertThat(list).singleElement().satisfies(d -> {
                assertThat(d.id()).isEqualTo("outbox-" + rowId);
                assertThat(d.queue()).isEqualTo("outbox");
                assertThat(d.site()).isEqualTo("gh-clinic");
                assertThat(d.kind()).isEqualTo("confirmation");
                assertThat(d.reason()).startsWith("131026");
                assertThat(d.retryable()).isTrue();
            });
            assertThat(deadLetters.list(java.util.Set.of("elsewhere"), 50)).isEmpty();

            assertThat(deadLetters.retry("outbox-" + rowId, "ana", fx.clock.instant()))
                    .isEqualTo(new DeadLetters.Requeued("outbox-" + rowId));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    "SENT".equals(Flow.row(fx, siu.fillerId(), "confirmation").get("STATUS")));
            Flow.awaitIdle(fx);
            assertThat(Flow.requestsFor(fx, "appointment_confirmation")).hasSize(2); // the refused one, the sent one
            assertThat(deadLetters.list(null, 50)).isEmpty();
            assertThat(deadLetters.retry("outbox-" + rowId, "ana", fx.clock.instant()))
                    .isInstanceOf(DeadLetters.NotRetryable.class);
            assertThat(deadLetters.discard("outbox-" + rowId, "ana", fx.clock.instant()))
                    .isInstanceOf(DeadLetters.NotDiscardable.class);
            assertThat(deadLetters.retry("outbox-999999", "ana", fx.clock.instant()))
                    .isEqualTo(new DeadLetters.NotFound());
            assertThat(deadLetters.retry("nonsense", "ana", fx.clock.instant()))
                    .isEqualTo(new DeadLetters.NotFound());
            assertThat(fx.query("SELECT event FROM message_event WHERE outbox_id = ? ORDER BY id", rowId))
                    .extracting(r -> r.get("EVENT")).containsExactly("queued", "dead", "requeued", "sent");
        }
    }
}
