package org.careline.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A Cloud API stand-in that misbehaves on purpose, on a real socket: HTTP/1.1 with keep-alive, written by hand so it
 * can also do what an HTTP server library will not — hold a request without ever answering, or close the connection
 * without a response. What it does with each request is decided by a {@link Policy} from the recipient, the
 * attempt number (per recipient, counted here) and the bearer token, so a seeded policy answers the same way on
 * every run whatever order the engine's senders come in. Every request is recorded with its arrival time and what
 * was done with it; a success counts only once its response was fully written.
 */
final class FaultyCloudApi implements AutoCloseable {

    /** What the stand-in does with one request. */
    sealed interface Action {
    }

    /** 200 with a normal send response and a fresh wamid. */
    record Success() implements Action {
    }

    /** An HTTP error with a Graph error body; {@code retryAfterSeconds} adds a Retry-After header when not null. */
    record GraphError(int status, int code, String message, Integer retryAfterSeconds) implements Action {
    }

    /** Reads the request and never answers; the connection is closed after {@code holdMillis}. */
    record Hang(long holdMillis) implements Action {
    }

    /** Reads the request and closes the connection without a response ({@code reset}: with a TCP RST). */
    record Drop(boolean reset) implements Action {
    }

    /** Decides per request. */
    interface Policy {
        Action decide(String to, int attempt, String token);
    }

    /** One request as received, and what became of it. */
    record Attempt(String to, int attempt, String token, long arrivedNanos, Action action, boolean answered,
                   String wamid) {
        boolean succeeded() {
            return action instanceof Success && answered;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "faulty-cloud-api");
        t.setDaemon(true);
        return t;
    });
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attemptsPerRecipient = new ConcurrentHashMap<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicLong wamids = new AtomicLong();
    private volatile Policy policy;

    FaultyCloudApi(Policy policy) throws IOException {
        this.policy = policy;
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        connections.execute(this::acceptLoop);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    void policy(Policy policy) {
        this.policy = policy;
    }

    List<Attempt> attempts() {
        return new ArrayList<>(attempts);
    }

    /**
     * The mix of faults the issue asks for, decided per (recipient, attempt) by a seeded random: 30 % HTTP 500,
     * 10 % HTTP 429 with Graph code 130429 (half of them with Retry-After: 2), 5 % never answered (held
     * {@code holdMillis}), 5 % connection dropped (half of them reset); the rest succeed.
     */
    static Policy faultMix(long seed, long holdMillis) {
        return (to, attempt, token) -> {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + to.hashCode() * 1_000_003L + attempt);
            double p = r.nextDouble();
            if (p < 0.30) {
                return new GraphError(500, 1, "An unknown error occurred", null);
            } else if (p < 0.40) {
                return new GraphError(429, 130429, "Rate limit hit", r.nextBoolean() ? 2 : null);
            } else if (p < 0.45) {
                return new Hang(holdMillis);
            } else if (p < 0.50) {
                return new Drop(r.nextBoolean());
            }
            return new Success();
        };
    }

    /** {@code then}, except that recipients {@code permanent} maps get that permanent Graph error, every time. */
    static Policy withPermanent(Map<String, Integer> permanent, Policy then) {
        return (to, attempt, token) -> {
            Integer code = permanent.get(to);
            return code == null ? then.decide(to, attempt, token)
                    : new GraphError(400, code, PERMANENT_MESSAGES.getOrDefault(code, "Invalid parameter"), null);
        };
    }

    /** Meta's titles for the permanent codes the suite uses. */
    static final Map<Integer, String> PERMANENT_MESSAGES = Map.of(
            131026, "Message undeliverable",
            132001, "Template name does not exist in the translation",
            132000, "Number of parameters does not match the expected number of params",
            131047, "Re-engagement message");

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                connections.execute(() -> serve(s));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Requests on one keep-alive connection, one after the other, until the client or an action closes it. */
    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                Request request = Request.read(in);
                if (request == null) {
                    return; // the client closed the connection
                }
                long arrived = System.nanoTime();
                String to = recipient(request.body);
                int attempt = attemptsPerRecipient.computeIfAbsent(to, k -> new AtomicInteger()).incrementAndGet();
                String token = bearer(request.headers.get("authorization"));
                Action action = policy.decide(to, attempt, token);
                if (action instanceof Success) {
                    String wamid = "wamid.FAULTS" + wamids.incrementAndGet();
                    boolean answered = respond(out, 200, null, "{\"messaging_product\":\"whatsapp\",\"contacts\":[{"
                            + "\"input\":\"" + to + "\",\"wa_id\":\"" + to + "\"}],\"messages\":[{\"id\":\""
                            + wamid + "\"}]}");
                    attempts.add(new Attempt(to, attempt, token, arrived, action, answered, wamid));
                    if (!answered) {
                        return;
                    }
                } else if (action instanceof GraphError e) {
                    boolean answered = respond(out, e.status(), e.retryAfterSeconds(), graphError(e));
                    attempts.add(new Attempt(to, attempt, token, arrived, action, answered, null));
                    if (!answered) {
                        return;
                    }
                } else if (action instanceof Hang h) {
                    attempts.add(new Attempt(to, attempt, token, arrived, action, false, null));
                    sleep(h.holdMillis());
                    return; // closed without an answer, long after the engine gave up
                } else if (action instanceof Drop d) {
                    attempts.add(new Attempt(to, attempt, token, arrived, action, false, null));
                    if (d.reset()) {
                        socket.setSoLinger(true, 0); // close() sends RST instead of FIN
                    }
                    return;
                }
            }
        } catch (IOException e) {
            // the engine closed the connection (e.g. after its timeout): nothing to answer
        } finally {
            open.remove(socket);
        }
    }

    /** The response written and flushed: true; the connection failed meanwhile: false. */
    private static boolean respond(OutputStream out, int status, Integer retryAfter, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reasonPhrase(status))
                .append("\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: ").append(bytes.length)
                .append("\r\nfacebook-api-version: v23.0\r\n");
        if (retryAfter != null) {
            head.append("Retry-After: ").append(retryAfter).append("\r\n");
        }
        head.append("\r\n");
        try {
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A Graph API error body as Meta sends it. */
    static String graphError(GraphError e) {
        return "{\"error\":{\"message\":\"(#" + e.code() + ") " + e.message() + "\",\"type\":\"OAuthException\",\"code\":"
                + e.code() + ",\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"" + e.message()
                + "\"},\"fbtrace_id\":\"AFaultsTrace\"}}";
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            default -> "Status";
        };
    }

    private static String recipient(byte[] body) {
        try {
            JsonNode json = JSON.readTree(body);
            String to = json.path("to").asText("");
            return to.isEmpty() ? "(none)" : to;
        } catch (IOException notJson) {
            return "(not json)";
        }
    }

    private static String bearer(String authorization) {
        return authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis); // a Meta that never answers: hold the request, then let the connection go
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        connections.shutdownNow();
        try {
            connections.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One HTTP/1.1 request: headers (lower-cased names) and the body (Content-Length or chunked). */
    private record Request(String line, Map<String, String> headers, byte[] body) {

        /** The next request, or null when the connection ended cleanly before one began. */
        static Request read(InputStream in) throws IOException {
            String line = readLine(in);
            if (line == null) {
                return null;
            }
            Map<String, String> headers = new TreeMap<>();
            String h;
            while ((h = readLine(in)) != null && !h.isEmpty()) {
                int colon = h.indexOf(':');
                if (colon > 0) {
                    headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
                }
            }
            byte[] body;
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                while (true) {
                    String size = readLine(in);
                    int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                    if (n == 0) {
                        while ((h = readLine(in)) != null && !h.isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    b.write(in.readNBytes(n));
                    readLine(in);
                }
                body = b.toByteArray();
            } else {
                int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                body = in.readNBytes(length);
                if (body.length < length) {
                    throw new SocketException("body cut short");
                }
            }
            return new Request(line, headers, body);
        }

        private static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    String s = b.toString(StandardCharsets.ISO_8859_1);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                b.write(c);
            }
            return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
