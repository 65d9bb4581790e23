package org.careline.writeback;

import org.careline.model.WritebackAction;
import org.careline.model.WritebackStatus;
import org.careline.support.EngineFixture;
import org.careline.support.SchedulingPeer;
import org.careline.support.TestCertificates;
import org.careline.support.TestCertificates.Issued;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.careline.writeback.Requests.*;

/**
 * CARELINE_SCHEDULING_MLLP_TLS: write-back to a scheduling system that speaks MLLP over TLS and asks for a client
 * certificate. Careline trusts the CA in CARELINE_TLS_CLIENT_CA and presents CARELINE_TLS_CERT; its own listeners
 * stay plain (CARELINE_MLLP_TLS and CARELINE_HTTP_TLS unset).
 */
class WritebackTlsTest {

    private static SchedulingPeer peer;
    private static EngineFixture fx;

    @BeforeAll
    static void start() throws Exception {
        Issued ca = TestCertificates.ca("Hospital CA");
        Issued scheduling = TestCertificates.server(ca);
        Issued careline = TestCertificates.client("careline", ca);
        Path dir = Files.createTempDirectory("careline-writeback-tls");
        peer = SchedulingPeer.onFreePort();
        peer.startTls(scheduling.serverContext(ca));
        Map<String, String> env = new HashMap<>(env(peer));
        env.put("CARELINE_SCHEDULING_MLLP_TLS", "true");
        env.put("CARELINE_TLS_CLIENT_CA", TestCertificates.write(dir, "ca.pem", ca.certPem()).toString());
        env.put("CARELINE_TLS_CERT", TestCertificates.write(dir, "cert.pem", careline.certPem()).toString());
        env.put("CARELINE_TLS_KEY", TestCertificates.write(dir, "key.pem", careline.keyPkcs8Pem()).toString());
        fx = EngineFixture.start(env, NOW);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void aRequestReachesTheSchedulingSystemOverMutualTls() throws Exception {
        Booked appt = book(fx, "2.5");
        long id = enqueue(fx, appt.id(), WritebackAction.CONFIRM);

        await().atMost(WAIT).until(() -> WritebackStatus.DONE.dbValue().equals(status(fx, id)));
        assertThat(receivedFor(peer, appt.fillerId())).hasSize(1);
    }
}
