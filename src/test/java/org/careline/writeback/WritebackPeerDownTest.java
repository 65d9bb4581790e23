package org.careline.writeback;

import org.careline.model.WritebackStatus;
import org.careline.model.WritebackAction;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.SchedulingPeer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.careline.writeback.Requests.*;

/** The scheduling system is down (connections refused): requests wait and are retried until it is back. */
class WritebackPeerDownTest {

    @Test
    void aSchedulingSystemThatIsDownGetsTheRequestOnceItIsUp() throws Exception {
        try (SchedulingPeer down = SchedulingPeer.onFreePort();
             EngineFixture fx = EngineFixture.start(env(down), NOW)) {
            Booked appt = book(fx, "2.5");
            long id = enqueue(fx, appt.id(), WritebackAction.CONFIRM);

            await().atMost(WAIT).until(() -> attempts(fx, id) >= 1);
            assertThat(status(fx, id)).isEqualTo(WritebackStatus.PENDING.dbValue());
            assertThat((String) request(fx, id).get("LAST_ERROR")).isEqualTo("ConnectException");
            assertThat(Flow.instant(request(fx, id).get("DUE_AT"))).isAfter(fx.clock.instant());
            fx.clock.advance(PAST_ANY_BACKOFF);
            await().atMost(WAIT).until(() -> attempts(fx, id) >= 2);
            assertThat(status(fx, id)).isEqualTo(WritebackStatus.PENDING.dbValue());
            assertThat(Flow.instant(request(fx, id).get("DUE_AT"))).isAfter(fx.clock.instant());
            assertThat(fx.count("SELECT COUNT(*) FROM alert WHERE kind LIKE 'writeback%'")).isZero();

            down.start();
            fx.clock.advance(PAST_ANY_BACKOFF);
            await().atMost(WAIT).until(() -> WritebackStatus.DONE.dbValue().equals(status(fx, id)));
            assertThat(down.received()).hasSize(1);
            assertThat(arq2(down.received().get(0))).isEqualTo(appt.fillerId());
            assertThat(request(fx, id).get("ACK_CODE")).isEqualTo("AA");
            assertThat(attempts(fx, id)).isEqualTo(3);
        }
    }

    @Test
    void aSchedulingSystemSilentPastTheThresholdRaisesOneAlertClearedWhenItAnswers() throws Exception {
        try (SchedulingPeer down = SchedulingPeer.onFreePort()) {
            java.util.Map<String, String> env = new java.util.HashMap<>(env(down));
            env.put("CARELINE_SCHEDULING_UNREACHABLE_AFTER", "10m");
            try (EngineFixture fx = EngineFixture.start(env, NOW)) {
                Booked appt = book(fx, "2.5");
                long id = enqueue(fx, appt.id(), WritebackAction.CONFIRM);
                String alerts = "SELECT COUNT(*) FROM alert WHERE kind = 'scheduling_unreachable' "
                        + "AND subject = 'scheduling:hl7' AND cleared_at IS NULL";

                await().atMost(WAIT).until(() -> attempts(fx, id) >= 1);
                fx.clock.advance(PAST_ANY_BACKOFF); // 6 min without an answer: not yet
                await().atMost(WAIT).until(() -> attempts(fx, id) >= 2);
                assertThat(fx.count(alerts)).isZero();
                fx.clock.advance(PAST_ANY_BACKOFF); // 12 min
                await().atMost(WAIT).until(() -> attempts(fx, id) >= 3);
                await().atMost(WAIT).until(() -> fx.count(alerts) == 1);
                fx.clock.advance(PAST_ANY_BACKOFF); // still down: no second alert
                await().atMost(WAIT).until(() -> attempts(fx, id) >= 4);
                assertThat(fx.count(alerts)).isEqualTo(1);

                down.start();
                fx.clock.advance(PAST_ANY_BACKOFF);
                await().atMost(WAIT).until(() -> WritebackStatus.DONE.dbValue().equals(status(fx, id)));
                assertThat(fx.count(alerts)).isZero();
                assertThat(fx.count("SELECT COUNT(*) FROM alert WHERE kind = 'scheduling_unreachable'"))
                        .isEqualTo(1);
            }
        }
    }
}
