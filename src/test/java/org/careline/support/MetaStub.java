package org.careline.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local HTTP server standing in for Meta's Cloud API: records every request as received and answers with queued
 * responses (or a success carrying a fresh wamid; for a media upload, a fresh media id).
 */
public final class MetaStub implements AutoCloseable {

    /** One request as Meta would have received it. */
    public record Received(String method, String path, Map<String, List<String>> headers, String body, Instant at,
                           byte[] raw) {
        /** A media upload (POST .../media), not a message send. */
        public boolean isMediaUpload() {
            return path.endsWith("/media");
        }

        public JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private record Reply(int status, String body, long delayMillis, Map<String, String> headers) {
        Reply(int status, String body, long delayMillis) {
            this(status, body, delayMillis, Map.of());
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<Reply> replies = new ConcurrentLinkedDeque<>();
    private final AtomicLong ids = new AtomicLong();
    /** How long every request waits before its answer (a Cloud API far away); 0 by default. */
    private volatile long latencyMillis;

    public MetaStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes;
            try (InputStream in = exchange.getRequestBody()) {
                bytes = in.readAllBytes();
            }
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()), new String(bytes, StandardCharsets.UTF_8), Instant.now(),
                    bytes));
            if (latencyMillis > 0) {
                try {
                    Thread.sleep(latencyMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Reply reply = replies.pollFirst();
            if (reply != null && reply.delayMillis() > 0) {
                try {
                    Thread.sleep(reply.delayMillis()); // a Meta that is slow to answer
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                reply = null;
            }
            if (reply == null && exchange.getRequestURI().getPath().endsWith("/media")) {
                reply = new Reply(200, "{\"id\":\"" + (1_000_000_000_000_000L + ids.incrementAndGet()) + "\"}", 0);
            }
            if (reply == null) {
                String wamid = "wamid.TEST" + ids.incrementAndGet();
                reply = new Reply(200, "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"x\",\"wa_id\":\"x\"}],"
                        + "\"messages\":[{\"id\":\"" + wamid + "\"}]}", 0);
            }
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(reply.status(), out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every request from now on is answered only after {@code millis} (recorded on arrival, before the wait). */
    public void latency(long millis) {
        this.latencyMillis = millis;
    }

    /** The next request gets this answer instead of a success. */
    public void replyNext(int status, String body) {
        replies.addLast(new Reply(status, body, 0));
    }

    /** The next request gets this answer, with these extra response headers (e.g. Retry-After). */
    public void replyNext(int status, String body, Map<String, String> headers) {
        replies.addLast(new Reply(status, body, 0, Map.copyOf(headers)));
    }

    /** The next request is answered (with a success) only after {@code millis}. */
    public void delayNext(long millis) {
        replies.addLast(new Reply(200, null, millis));
    }

    /** A Graph API error body as Meta sends it. */
    public static String graphError(int code, String message) {
        return "{\"error\":{\"message\":\"(#" + code + ") " + message + "\",\"type\":\"OAuthException\",\"code\":" + code
                + ",\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"" + message + "\"},"
                + "\"fbtrace_id\":\"AbCdEf\"}}";
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    public void clear() {
        received.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
