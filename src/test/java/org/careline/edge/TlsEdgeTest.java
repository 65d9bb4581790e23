package org.careline.edge;

import org.careline.support.EngineFixture;
import org.careline.support.MllpClient;
import org.careline.support.Siu;
import org.careline.support.TestCertificates;
import org.careline.support.TestCertificates.Issued;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 14, finding 4: MLLP and HTTP over TLS with client certificates required (CARELINE_TLS_CLIENT_CA), with
 * certificates made here: a CA, the engine's certificate for localhost/127.0.0.1 (its key in PKCS#1 form, to show
 * that form is read too), a client certificate from that CA, and one from a CA the engine does not trust.
 */
class TlsEdgeTest {

    private static final Instant NOW = Instant.parse("2030-03-05T15:00:00Z");
    private static final int FIRST_FRAME_MS = 2000;
    private static EngineFixture fx;
    private static Issued ca;
    private static Issued client;
    private static Issued stranger;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.ca("Careline test CA");
        Issued server = TestCertificates.server(ca);
        client = TestCertificates.client("ehr-interface", ca);
        stranger = TestCertificates.client("ehr-interface", TestCertificates.ca("Someone else's CA"));
        Path dir = Files.createTempDirectory("careline-tls");
        fx = EngineFixture.start(Map.of(
                "CARELINE_MLLP_FIRST_FRAME_TIMEOUT_MS", String.valueOf(FIRST_FRAME_MS),
                "CARELINE_MLLP_TLS", "true",
                "CARELINE_HTTP_TLS", "true",
                "CARELINE_TLS_CERT", TestCertificates.write(dir, "cert.pem", server.certPem(), ca.certPem()).toString(),
                "CARELINE_TLS_KEY", TestCertificates.write(dir, "key.pem", server.keyTraditionalPem()).toString(),
                "CARELINE_TLS_CLIENT_CA", TestCertificates.write(dir, "client-ca.pem", ca.certPem()).toString()), NOW);
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @Test
    void mllpOverTlsWithTheRightClientCertificateGetsItsAa() throws Exception {
        try (MllpClient ehr = new MllpClient(tls(client.clientContext(ca)))) {
            String ack = ehr.send(Siu.booking(NOW.plus(Duration.ofDays(3))).newControlId().build());
            assertThat(MllpClient.field(ack, "MSA", 1)).isEqualTo("AA");
        }
    }

    @Test
    void theFirstFrameTimeoutClosesSilentTlsConnectionsTooWithOrWithoutAHandshake() throws Exception {
        try (SSLSocket handshaken = tls(client.clientContext(ca));
             Socket silent = new Socket("127.0.0.1", fx.mllpPort())) {
            assertThat(MllpFloodTest.closedWithin(handshaken, Duration.ofMillis(FIRST_FRAME_MS + 4000))).isTrue();
            assertThat(MllpFloodTest.closedWithin(silent, Duration.ofMillis(FIRST_FRAME_MS + 4000))).isTrue();
        }
    }

    @Test
    void plainTcpToTheTlsPortGetsNoAck() throws Exception {
        try (MllpClient plain = new MllpClient(new Socket("127.0.0.1", fx.mllpPort()))) {
            assertThatThrownBy(() -> plain.send(Siu.booking(NOW.plus(Duration.ofDays(3))).newControlId().build()))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void mllpOverTlsWithoutAClientCertificateIsRefused() {
        assertThatThrownBy(() -> {
            try (MllpClient anonymous = new MllpClient(tls(TestCertificates.anonymousClient(ca)))) {
                anonymous.send(Siu.booking(NOW.plus(Duration.ofDays(3))).newControlId().build());
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void mllpOverTlsWithACertificateFromAnotherCaIsRefused() {
        assertThatThrownBy(() -> {
            try (MllpClient untrusted = new MllpClient(tls(stranger.clientContext(ca)))) {
                untrusted.send(Siu.booking(NOW.plus(Duration.ofDays(3))).newControlId().build());
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void httpsHealthAnswersAClientWithTheRightCertificate() throws Exception {
        HttpResponse<String> health = https(client.clientContext(ca));
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void httpsRefusesClientsWithoutOrWithAnUntrustedCertificate() {
        assertThatThrownBy(() -> https(TestCertificates.anonymousClient(ca))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> https(stranger.clientContext(ca))).isInstanceOf(IOException.class);
    }

    @Test
    void plainHttpToTheHttpsPortGetsNoAnswer() {
        assertThatThrownBy(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.httpPort() + "/health"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    private static SSLSocket tls(SSLContext context) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", fx.mllpPort());
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    private static HttpResponse<String> https(SSLContext context) throws Exception {
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build().send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + fx.httpPort() + "/health"))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
