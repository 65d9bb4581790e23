package org.careline.edge;

import com.fasterxml.jackson.databind.JsonNode;
import org.careline.support.EngineFixture;
import org.careline.support.MllpClient;
import org.careline.support.Siu;
import org.careline.support.StaffClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 14, findings 4 and 6 at the edge: the bind address, the MLLP allowlist, the HTTP idle timeout and a /health
 * that tells strangers nothing but UP or DOWN. One engine bound to 127.0.0.1, allowing MLLP from 10.9.9.0/24 only.
 */
class EdgeSettingsTest {

    private static final String PASSWORD = "edge-settings-password";
    private static final int HTTP_IDLE_MS = 1000;
    private static EngineFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = EngineFixture.start(Map.of(
                "CARELINE_BIND_ADDRESS", "127.0.0.1",
                "CARELINE_MLLP_ALLOW", "10.9.9.0/24, fd00::/8",
                "CARELINE_HTTP_IDLE_TIMEOUT_MS", String.valueOf(HTTP_IDLE_MS),
                "CARELINE_ADMIN_PASSWORD", PASSWORD), Instant.now());
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @Test
    void healthTellsStrangersTheStatusAlone() throws Exception {
        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void theDetailsAreForSignedInAnalystsAndAdmins() {
        StaffClient admin = new StaffClient(fx.httpPort()).signedIn("admin", PASSWORD);
        StaffClient.Answer answer = admin.get("/api/v1/health");
        assertThat(answer.status()).isEqualTo(200);
        JsonNode json = answer.json();
        assertThat(json.get("status").asText()).isEqualTo("UP");
        assertThat(json.get("sending").asText()).isEqualTo("active");
        assertThat(json.get("routes").get("hl7-inbound").asText()).isEqualTo("Started");
        assertThat(new StaffClient(fx.httpPort()).get("/api/v1/health").status()).isEqualTo(401);
    }

    @Test
    void anHttpConnectionThatSendsNothingIsClosedByTheServer() throws Exception {
        try (Socket silent = new Socket("127.0.0.1", fx.httpPort())) {
            assertThat(MllpFloodTest.closedWithin(silent, Duration.ofMillis(HTTP_IDLE_MS + 4000))).isTrue();
        }
    }

    @Test
    void anHttpConnectionLeftWithHalfARequestLineIsClosedByTheServer() throws Exception {
        try (Socket slow = new Socket("127.0.0.1", fx.httpPort())) {
            slow.getOutputStream().write("GET /hea".getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            assertThat(MllpFloodTest.closedWithin(slow, Duration.ofMillis(HTTP_IDLE_MS + 4000))).isTrue();
        }
    }

    @Test
    void anMllpConnectionFromOutsideTheAllowlistIsClosedAtOnceWithoutAnAck() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", fx.mllpPort())) {
            long began = System.nanoTime();
            MllpClient client = new MllpClient(socket);
            assertThatThrownBy(() -> client.send(Siu.booking(Instant.now().plus(Duration.ofDays(3))).build()))
                    .isInstanceOf(IOException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(3));
        }
        assertThat(fx.count("SELECT COUNT(*) FROM inbound_message")).isZero();
    }

    @Test
    void bothListenersAreBoundToTheAddressSetAndUnreachableOnAnother() throws Exception {
        // Another address of this machine: a non-loopback one when there is one; else 127.0.0.2, which Linux
        // routes to the loopback interface too but which a socket bound to 127.0.0.1 does not listen on.
        InetAddress other = otherLocalAddress();
        for (int port : new int[] {fx.httpPort(), fx.mllpPort()}) {
            try (Socket s = new Socket()) {
                assertThatThrownBy(() -> s.connect(new InetSocketAddress(other, port), 2000))
                        .as("port %d on %s", port, other).isInstanceOf(ConnectException.class);
            }
            try (Socket s = new Socket()) {
                // Reached: connected, or reset at once by the MLLP allowlist (10.9.9.0/24 only), never refused.
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            } catch (java.net.SocketException e) {
                assertThat(e).as("port %d on 127.0.0.1", port).isNotInstanceOf(ConnectException.class);
            }
        }
    }

    private static InetAddress otherLocalAddress() throws IOException {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nif.isUp() && !nif.isLoopback()) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return a;
                    }
                }
            }
        }
        return InetAddress.getByName("127.0.0.2");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.httpPort() + path))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
