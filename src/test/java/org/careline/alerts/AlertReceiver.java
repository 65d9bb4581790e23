package org.careline.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver as a site would run one: checks X-Careline-Signature-256 over the bytes it got (a wrong or
 * missing signature is answered 401 and counted), keeps what it accepted, answers with the status it is told to.
 * It can be stopped and started again on the same port (a receiver that is down, then back).
 */
final class AlertReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Received(String alertIdHeader, JsonNode body) {
    }

    private final byte[] secret;
    private final int port;
    private final List<Received> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger badSignatures = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int status = 200;
    private HttpServer server;

    AlertReceiver(String secret, int port) throws IOException {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.port = port;
        start();
    }

    synchronized void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/hook", exchange -> {
            requests.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String signature = exchange.getRequestHeaders().getFirst(WebhookAlertChannel.SIGNATURE_HEADER);
            int answer = status;
            if (signature == null || !signature.equals("sha256=" + WebhookAlertChannel.sign(secret, body))) {
                badSignatures.incrementAndGet();
                answer = 401;
            } else if (answer / 100 == 2) {
                accepted.add(new Received(exchange.getRequestHeaders().getFirst(WebhookAlertChannel.ALERT_ID_HEADER),
                        JSON.readTree(body)));
            }
            byte[] reply = (answer == 400 ? "{\"error\":\"unknown channel\"}" : "{}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
    }

    synchronized void stop() {
        server.stop(0);
    }

    void answer(int status) {
        this.status = status;
    }

    String url() {
        return "http://127.0.0.1:" + port + "/hook";
    }

    List<Received> accepted() {
        return accepted;
    }

    int badSignatures() {
        return badSignatures.get();
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        stop();
    }
}
