package org.careline.edge;

import org.careline.support.EngineFixture;
import org.careline.support.MllpClient;
import org.careline.support.Siu;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, finding 1: strangers holding the MLLP port. Before the fix, 64 idle connections held every slot for the
 * 10-minute idle timeout (a valid sender was refused all that time) and the listen backlog was 5.
 */
class MllpFloodTest {

    private static final Instant NOW = Instant.parse("2030-03-05T15:00:00Z");
    private static final int FIRST_FRAME_MS = 1500;
    private static EngineFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = EngineFixture.start(Map.of("CARELINE_MLLP_FIRST_FRAME_TIMEOUT_MS", String.valueOf(FIRST_FRAME_MS)), NOW);
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @Test
    void fiveHundredIdleOrJunkConnectionsStarveNeitherAValidSenderNorHealth() throws Exception {
        List<Socket> flood = new ArrayList<>();
        try {
            long began = System.nanoTime();
            int refused = 0;
            for (int i = 0; i < 500; i++) {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress("127.0.0.1", fx.mllpPort()), 3000);
                    if (i % 5 == 0) {
                        // Junk with no start of block, as a port scanner or a stray HTTP client sends.
                        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        s.getOutputStream().flush();
                    }
                    flood.add(s);
                } catch (IOException e) {
                    refused++;
                    s.close();
                }
            }
            Duration connecting = Duration.ofNanos(System.nanoTime() - began);
            assertThat(connecting).as("500 connection attempts (listen backlog)").isLessThan(Duration.ofSeconds(10));
            assertThat(refused).as("connection attempts that timed out").isZero();

            // During the flood (the sockets stay open on our side): /health answers at once…
            long healthStart = System.nanoTime();
            HttpResponse<String> health = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.httpPort() + "/health"))
                            .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - healthStart)).isLessThan(Duration.ofSeconds(5));

            // …and a valid sender, reconnecting when refused as EHR interfaces do, gets its AA within a bound.
            String ack = sendWithReconnects(Siu.booking(NOW.plus(Duration.ofDays(3))).newControlId().build(),
                    Duration.ofSeconds(20));
            assertThat(MllpClient.field(ack, "MSA", 1)).isEqualTo("AA");
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
    }

    @Test
    void aConnectionThatSendsNoFrameIsClosedAfterTheFirstFrameTimeout() throws Exception {
        try (Socket idle = new Socket("127.0.0.1", fx.mllpPort())) {
            long began = System.nanoTime();
            assertThat(closedWithin(idle, Duration.ofMillis(FIRST_FRAME_MS + 4000))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThan(Duration.ofMillis(FIRST_FRAME_MS - 200));
        }
    }

    @Test
    void aSenderWhoseFrameCameInTimeKeepsItsConnectionPastTheFirstFrameTimeout() throws Exception {
        try (MllpClient ehr = fx.mllp()) {
            assertThat(MllpClient.field(ehr.send(Siu.booking(NOW.plus(Duration.ofDays(4))).newControlId().build()),
                    "MSA", 1)).isEqualTo("AA");
            Thread.sleep(FIRST_FRAME_MS + 1500);
            assertThat(MllpClient.field(ehr.send(Siu.booking(NOW.plus(Duration.ofDays(5))).newControlId().build()),
                    "MSA", 1)).isEqualTo("AA");
        }
    }

    private String sendWithReconnects(String message, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", fx.mllpPort()), 2000);
                try (MllpClient client = new MllpClient(socket)) {
                    socket.setSoTimeout(3000);
                    return client.send(message);
                }
            } catch (IOException e) {
                last = e;
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // already closed
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("no ACK within " + bound + " (last: " + last + ")");
    }

    /** Whether the peer closed (end of stream or reset) within {@code bound}. */
    static boolean closedWithin(Socket socket, Duration bound) throws IOException {
        socket.setSoTimeout((int) bound.toMillis());
        InputStream in = socket.getInputStream();
        try {
            while (true) {
                if (in.read() == -1) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
