package org.careline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Meta's Cloud API as the benchmark sees it: a local HTTP server that answers each {@code POST .../messages} like
 * the Cloud API ({@code messaging_product}, {@code contacts[]}, {@code messages[].id}) after a fixed latency, and
 * records when each request arrived (System.nanoTime, taken before the body is read), its recipient and the wamid
 * it was given. A large pool keeps the stand-in from being the limit: each request holds a thread for the latency.
 */
public final class CloudApiStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One send as the Cloud API received it. */
    public record Send(long arrivedNanos, String recipientDigits, String wamid) {
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final long latencyMillis;
    private volatile boolean holding;
    private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
    private final List<Send> sends = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final String wamidPrefix;

    public CloudApiStandIn(long latencyMillis, String runId) throws IOException {
        this.latencyMillis = latencyMillis;
        this.wamidPrefix = "wamid.BENCH" + runId + ".";
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        this.pool = Executors.newFixedThreadPool(256, r -> {
            Thread t = new Thread(r, "cloud-api-stand-in");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    /** What WHATSAPP_API_BASE should be set to. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String to = "";
        try {
            JsonNode request = JSON.readTree(body);
            to = request.path("to").asText("").replaceAll("\\D", "");
        } catch (IOException notJson) {
            // answered 400 below
        }
        if (latencyMillis > 0) {
            try {
                Thread.sleep(latencyMillis); // a real round trip to Meta
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] reply;
        int status;
        if (holding) {
            // Meta's "account restricted": the engine pauses all sending and keeps every message queued.
            refused.incrementAndGet();
            status = 400;
            reply = ("{\"error\":{\"message\":\"(#368) Temporarily blocked\",\"type\":\"OAuthException\","
                    + "\"code\":368,\"fbtrace_id\":\"bench\"}}").getBytes(StandardCharsets.UTF_8);
        } else if (to.isEmpty() || !exchange.getRequestURI().getPath().endsWith("/messages")) {
            status = 400;
            reply = ("{\"error\":{\"message\":\"(#100) Invalid parameter\",\"type\":\"OAuthException\",\"code\":100,"
                    + "\"fbtrace_id\":\"bench\"}}").getBytes(StandardCharsets.UTF_8);
        } else {
            String wamid = wamidPrefix + ids.incrementAndGet();
            synchronized (sends) {
                sends.add(new Send(arrived, to, wamid));
            }
            status = 200;
            reply = ("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"" + to + "\",\"wa_id\":\"" + to
                    + "\"}],\"messages\":[{\"id\":\"" + wamid + "\"}]}").getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, reply.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply);
        }
    }

    /**
     * While holding, every send is answered with error 368, which makes the engine pause sending with every
     * message left queued: how scenario 1 measures ingest alone although a booking nudges the dispatcher.
     */
    public void hold(boolean hold) {
        this.holding = hold;
    }

    /** Sends answered 368 while holding. */
    public int refused() {
        return refused.get();
    }

    /** Every accepted send so far, in arrival order of recording. */
    public List<Send> sends() {
        synchronized (sends) {
            return new ArrayList<>(sends);
        }
    }

    /** The accepted sends from the {@code from}-th on (one consistent snapshot). */
    public List<Send> sendsSince(int from) {
        synchronized (sends) {
            return new ArrayList<>(sends.subList(Math.min(from, sends.size()), sends.size()));
        }
    }

    public int count() {
        synchronized (sends) {
            return sends.size();
        }
    }

    @Override
    public void close() throws InterruptedException {
        server.stop(0);
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }
}
