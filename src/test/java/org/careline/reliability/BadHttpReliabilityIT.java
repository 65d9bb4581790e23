package org.careline.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.awaitility.core.ConditionTimeoutException;
import org.careline.ingest.whatsapp.WebhookSignature;
import org.careline.support.EngineFixture;
import org.careline.support.EngineProcess;
import org.careline.support.MetaStub;
import org.careline.support.MetaWebhooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 7, items 5 and 6: bad webhooks and bad HTTP input against the packaged engine's HTTP port, and no secret or
 * PHI from them in its log.
 *
 * <p>The engine runs as production runs it ({@code java -Xmx256m -jar target/careline.jar}) on its own H2 file, with
 * recognisable fake secrets (app secret, access token, verify token, FHIR notify secret) and FHIR switched on (a
 * base URL nobody listens on, so /fhir answers as configured). Every request goes over a real socket and is answered
 * exactly as docs/webhooks.md and the routes promise: wrong, missing, foreign or malformed signatures 401; bodies over
 * CARELINE_WEBHOOK_MAX_BYTES 413 (3 MB at the default 1 MB; one byte over a lower limit on a second start) and a
 * body of exactly the limit taken; a signed body that is not JSON (or nests 100,000 levels deep) stored and answered
 * 200 but without any effect; unknown paths 404; wrong methods 405; a verification GET with a wrong token 403, the
 * right one 200 with the challenge; bad FHIR notifications 400 with an OperationOutcome, a wrong secret 401, a wrong
 * media type 415. No answer may carry a stack trace, echo a secret, or come with a content type that does not fit.
 *
 * <p>Then the same bad requests in volume from several concurrent clients while {@code GET /health} is polled
 * throughout (every answer must be 200), and the engine's thread count read from /proc before and after. Correctly
 * signed webhooks sent before and after the volume must still have their effect; afterwards the database (opened
 * directly once the engine has stopped) must hold no reply, status, outbox row, contact or FHIR work that came from a
 * bad request, and the webhook_delivery table exactly one row per distinct body answered 200. Last, nothing registered with
 * {@link SecretsInLogs} (the four secrets, every patient name, phone number and message text put into a body) may
 * appear in the engine's output.
 */
class BadHttpReliabilityIT {

    private static final Duration BOOT = Duration.ofSeconds(90);
    private static final String APP_SECRET = "appsecret-FAKE-b7e41c9d2a";
    private static final String ACCESS_TOKEN = "EAAG-FAKE-accesstoken-5d1b7a0c";
    private static final String VERIFY_TOKEN = "verifytoken-FAKE-7e2a91f3";
    private static final String FHIR_SECRET = "fhirnotify-FAKE-3c8d6e02";
    private static final int DEFAULT_MAX_BYTES = 1_048_576;
    /** CARELINE_WEBHOOK_MAX_BYTES of the second start (the lowest allowed is 1024). */
    private static final int LOW_MAX_BYTES = 4096;
    private static final int DEEP = 100_000;
    /** Markers of a Java stack trace or exception text; none may be in any answer. */
    private static final List<String> STACK_MARKERS = List.of("Exception", "\tat ", "org.apache", "java.");
    /** How long one request may take before it counts as unanswered: the "bounded time" of every answer. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private final List<EngineProcess> engines = new ArrayList<>();
    private final SecretsInLogs secrets = new SecretsInLogs();
    private final Tally tally = new Tally();
    /** wamids and phones (digits) of the correctly signed messages: the only ones allowed to have an effect. */
    private final Set<String> goodWamids = new LinkedHashSet<>();
    private final Set<String> goodPhones = new LinkedHashSet<>();
    /** wamids and phones put into bad requests: none may show up anywhere. */
    private final Set<String> badWamids = ConcurrentHashMap.newKeySet();
    private final Set<String> badPhones = ConcurrentHashMap.newKeySet();
    private final AtomicInteger people = new AtomicInteger();
    private MetaStub meta;

    @AfterEach
    void cleanUp() throws Exception {
        for (EngineProcess e : engines) {
            e.close();
        }
        if (meta != null) {
            meta.close();
        }
    }

    // --- requests -------------------------------------------------------------------------------------------

    /** One request as sent, what must come back, and (for signed webhooks answered 200) whether it is stored. */
    private record Req(String kind, String method, String path, Map<String, List<String>> headers, byte[] body,
                       int expected, String contentType) {
        boolean bigBody() {
            return body.length > 200_000;
        }
    }

    private static final class ReqBuilder {
        private final String kind;
        private String method = "POST";
        private String path = "/webhooks/whatsapp";
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private byte[] body = new byte[0];
        private int expected;
        private String contentType = "";

        ReqBuilder(String kind) {
            this.kind = kind;
        }

        ReqBuilder method(String m) {
            method = m;
            return this;
        }

        ReqBuilder path(String p) {
            path = p;
            return this;
        }

        ReqBuilder header(String name, String value) {
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            return this;
        }

        ReqBuilder body(byte[] b) {
            body = b;
            return this;
        }

        ReqBuilder body(String s) {
            return body(s.getBytes(StandardCharsets.UTF_8));
        }

        /** @param type the answer's content type must start with this; "" = the answer must have no body */
        Req expect(int status, String type) {
            expected = status;
            contentType = type;
            return new Req(kind, method, path, Map.copyOf(headers), body, expected, contentType);
        }
    }

    private static ReqBuilder req(String kind) {
        return new ReqBuilder(kind);
    }

    /** What came back for one request. */
    private record Answer(int status, String body, String contentType, Map<String, List<String>> headers,
                          long millis, String failure) {
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static Answer send(HttpClient http, int port, Req r) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + r.path()))
                .timeout(REQUEST_TIMEOUT)
                .method(r.method(), r.body().length == 0 && !r.method().equals("POST") && !r.method().equals("PUT")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(r.body()));
        r.headers().forEach((name, values) -> values.forEach(v -> b.header(name, v)));
        long start = System.nanoTime();
        try {
            HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(res.statusCode(), res.body(), res.headers().firstValue("Content-Type").orElse(""),
                    res.headers().map(), (System.nanoTime() - start) / 1_000_000, null);
        } catch (IOException e) {
            return new Answer(-1, "", "", Map.of(), (System.nanoTime() - start) / 1_000_000,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Per kind: how many were sent and answered as expected, and every way an answer went wrong. */
    private static final class Tally {
        final Map<String, AtomicInteger> sent = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> asExpected = new ConcurrentHashMap<>();
        final List<String> unexpected = new CopyOnWriteArrayList<>();
        final List<String> stackTraces = new CopyOnWriteArrayList<>();
        final List<String> badContentTypes = new CopyOnWriteArrayList<>();
        final List<String> echoes = new CopyOnWriteArrayList<>();
        final AtomicInteger webhookPostsStored = new AtomicInteger();
        /** A body posted again is stored once (issue 14, finding 6): the table holds one row per distinct body. */
        final Set<String> webhookBodiesStored = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final AtomicLong maxMillis = new AtomicLong();

        int total() {
            return sent.values().stream().mapToInt(AtomicInteger::get).sum();
        }

        int totalAsExpected() {
            return asExpected.values().stream().mapToInt(AtomicInteger::get).sum();
        }

        String byKind() {
            return new TreeMap<>(sent).entrySet().stream().map(e -> e.getKey() + " "
                    + asExpected.getOrDefault(e.getKey(), new AtomicInteger()).get() + "/" + e.getValue().get())
                    .collect(Collectors.joining("; "));
        }
    }

    private static String sha256(byte[] body) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends and checks one request; returns the answer (the caller may check more). */
    private Answer exchange(HttpClient http, int port, Req r) {
        Answer a = send(http, port, r);
        check(r, a);
        return a;
    }

    private void check(Req r, Answer a) {
        String id = r.kind() + " (" + r.method() + " " + r.path() + ")";
        tally.sent.computeIfAbsent(r.kind(), k -> new AtomicInteger()).incrementAndGet();
        tally.maxMillis.accumulateAndGet(a.millis(), Math::max);
        if (a.status() == r.expected()) {
            tally.asExpected.computeIfAbsent(r.kind(), k -> new AtomicInteger()).incrementAndGet();
        } else {
            tally.unexpected.add(id + ": expected " + r.expected() + ", got " + a.status()
                    + (a.failure() != null ? " " + a.failure() : "") + " " + abbreviate(a.body()));
        }
        if (a.status() == 200 && r.method().equals("POST") && r.path().equals("/webhooks/whatsapp")) {
            tally.webhookPostsStored.incrementAndGet();
            tally.webhookBodiesStored.add(sha256(r.body()));
        }
        for (String marker : STACK_MARKERS) {
            if (a.body().contains(marker)) {
                tally.stackTraces.add(id + ": '" + marker + "' in " + abbreviate(a.body()));
                break;
            }
        }
        String type = a.contentType().toLowerCase(Locale.ROOT);
        boolean typeOk = a.body().isEmpty() ? r.contentType().isEmpty() || type.startsWith(r.contentType())
                : !r.contentType().isEmpty() && type.startsWith(r.contentType());
        if (typeOk && r.contentType().equals("application/fhir+json") && a.status() >= 400) {
            typeOk = isOperationOutcome(a.body());
        }
        if (typeOk && r.contentType().startsWith("application/json") && !a.body().isEmpty()) {
            typeOk = isJson(a.body());
        }
        if (!typeOk && a.failure() == null) {
            tally.badContentTypes.add(id + ": expected '" + r.contentType() + "', got '" + a.contentType() + "' "
                    + abbreviate(a.body()));
        }
        StringBuilder echoed = new StringBuilder(a.body());
        a.headers().forEach((k, v) -> echoed.append('\n').append(k).append(": ").append(v));
        for (String secret : List.of(APP_SECRET, ACCESS_TOKEN, VERIFY_TOKEN, FHIR_SECRET)) {
            if (echoed.indexOf(secret) >= 0) {
                tally.echoes.add(id + " echoed a secret");
            }
        }
        List<String> signature = r.headers().get(WebhookSignature.HEADER);
        if (signature != null && !signature.isEmpty() && signature.get(0).length() > 20
                && echoed.indexOf(signature.get(0)) >= 0) {
            tally.echoes.add(id + " echoed the signature header");
        }
    }

    private static boolean isOperationOutcome(String body) {
        try {
            JsonNode n = MetaWebhooks.JSON.readTree(body);
            return "OperationOutcome".equals(n.path("resourceType").asText())
                    && !n.path("issue").path(0).path("code").asText().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isJson(String body) {
        try {
            MetaWebhooks.JSON.readTree(body);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 160) + "…";
    }

    // --- bodies -------------------------------------------------------------------------------------------------

    /** A patient: phone digits as Meta writes them in "from", a name and a message text, all watched in the log. */
    private record Person(String phone, String name, String text) {
    }

    private Person person() {
        int n = people.incrementAndGet();
        String phone = String.format("1608555%04d", 1000 + n);
        // Fictitious, but as unmistakable in a log as a real name; the text has no keyword, digit menu or emergency.
        Person p = new Person(phone, "Philippa Quennell-" + (char) ('A' + n % 26) + "orvath" + n,
                "Question " + n + " about the knee brace Zebulon lent me");
        secrets.watchPhone("+" + phone).watch(p.name()).watch(p.text());
        return p;
    }

    /** A text message webhook from this person (contacts[].profile.name = their name), with a fresh wamid. */
    private static ObjectNode textMessage(Person p, String wamid) {
        ObjectNode payload = MetaWebhooks.textMessage(wamid, p.phone(), Instant.now());
        JsonNode value = payload.path("entry").path(0).path("changes").path(0).path("value");
        ((ObjectNode) value.path("contacts").path(0).path("profile")).put("name", p.name());
        ((ObjectNode) value.path("messages").path(0).path("text")).put("body", p.text());
        return payload;
    }

    /** A text message that must have no effect: its wamid and phone are remembered as bad. */
    private byte[] badMessage() {
        Person p = person();
        String wamid = MetaWebhooks.newWamid();
        badWamids.add(wamid);
        badPhones.add(p.phone());
        return MetaWebhooks.bytes(textMessage(p, wamid));
    }

    /** A correctly signed text message that must have its effect. */
    private byte[] goodMessage() {
        Person p = person();
        String wamid = MetaWebhooks.newWamid();
        goodWamids.add(wamid);
        goodPhones.add(p.phone());
        return MetaWebhooks.bytes(textMessage(p, wamid));
    }

    /** A good message padded with spaces (still one JSON object) to exactly {@code size} bytes. */
    private byte[] goodMessageOfSize(int size) {
        byte[] json = goodMessage();
        String s = new String(json, StandardCharsets.UTF_8);
        int pad = size - json.length;
        assertThat(pad).isNotNegative();
        return (s.substring(0, s.length() - 1) + " ".repeat(pad) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static String sign(byte[] body) {
        return WebhookSignature.sign(body, APP_SECRET);
    }

    private static ReqBuilder signedPost(String kind, byte[] body) {
        return req(kind).header("Content-Type", "application/json").header(WebhookSignature.HEADER, sign(body))
                .body(body);
    }

    private static ReqBuilder fhir(String kind, String method, String path, String contentType, String body) {
        ReqBuilder b = req(kind).method(method).path(path).header("X-Careline-Secret", FHIR_SECRET).body(body);
        return contentType == null ? b : b.header("Content-Type", contentType);
    }

    private static byte[] repeat(String unit, int times) {
        return unit.repeat(times).getBytes(StandardCharsets.UTF_8);
    }

    /** A status report for a wamid (of no message we sent): applied only if the POST is accepted. */
    private byte[] badStatus() {
        String wamid = MetaWebhooks.newWamid();
        badWamids.add(wamid);
        return MetaWebhooks.bytes(MetaWebhooks.statusPayload(MetaWebhooks.status(wamid, "delivered", Instant.now())));
    }

    /**
     * Every bad request of the suite, each with the answer the engine promises. With {@code volume}, only those
     * small enough to repeat by the thousand (the big ones are added by the caller at a low rate).
     */
    private List<Req> badRequests(boolean volume) {
        List<Req> out = new ArrayList<>();
        String json = "application/json";
        String fhirJson = "application/fhir+json";

        // Signatures (docs/webhooks.md 3; WebhookSignature): missing or wrong → 401, nothing stored.
        byte[] m = badMessage();
        out.add(req("sig-missing").header("Content-Type", json).body(m).expect(401, json));
        out.add(req("sig-wrong").header("Content-Type", json).header(WebhookSignature.HEADER, "sha256=" + "ab".repeat(32))
                .body(badMessage()).expect(401, json));
        byte[] other = badMessage();
        out.add(req("sig-other-body").header("Content-Type", json).header(WebhookSignature.HEADER, sign(other))
                .body(badMessage()).expect(401, json));
        byte[] m2 = badMessage();
        out.add(req("sig-other-secret").header("Content-Type", json)
                .header(WebhookSignature.HEADER, WebhookSignature.sign(m2, "not-" + APP_SECRET)).body(m2).expect(401, json));
        byte[] m3 = badMessage();
        String hex = sign(m3).substring("sha256=".length());
        out.add(req("sig-prefix-sha1").header("Content-Type", json).header(WebhookSignature.HEADER, "sha1=" + hex)
                .body(m3).expect(401, json));
        out.add(req("sig-no-prefix").header("Content-Type", json).header(WebhookSignature.HEADER, hex)
                .body(m3).expect(401, json));
        out.add(req("sig-prefix-colon").header("Content-Type", json).header(WebhookSignature.HEADER, "sha256:" + hex)
                .body(m3).expect(401, json));
        out.add(req("sig-truncated").header("Content-Type", json)
                .header(WebhookSignature.HEADER, "sha256=" + hex.substring(0, 63)).body(m3).expect(401, json));
        out.add(req("sig-extended").header("Content-Type", json)
                .header(WebhookSignature.HEADER, "sha256=" + hex + "00").body(m3).expect(401, json));
        out.add(req("sig-not-hex").header("Content-Type", json)
                .header(WebhookSignature.HEADER, "sha256=" + hex.substring(0, 62) + "zz").body(m3).expect(401, json));
        out.add(req("sig-empty").header("Content-Type", json).header(WebhookSignature.HEADER, "")
                .body(m3).expect(401, json));
        out.add(req("sig-sha1-header-only").header("Content-Type", json).header("X-Hub-Signature", "sha1=" + hex.substring(0, 40))
                .body(m3).expect(401, json));
        // A repeated header is not trusted, even when one copy is right.
        out.add(req("sig-repeated").header("Content-Type", json).header(WebhookSignature.HEADER, sign(m3))
                .header(WebhookSignature.HEADER, "sha256=" + "00".repeat(32)).body(m3).expect(401, json));
        out.add(req("sig-wrong-status").header("Content-Type", json).header(WebhookSignature.HEADER, "sha256=" + "cd".repeat(32))
                .body(badStatus()).expect(401, json));
        out.add(req("sig-missing-deep").header("Content-Type", json).body(repeat("[", DEEP)).expect(401, json));
        out.add(req("sig-missing-deep-object").header("Content-Type", json).body(repeat("{\"a\":", DEEP / 5))
                .expect(401, json));

        // Wrong content types. Unsigned: 401 as any. Form and multipart bodies are taken apart by the HTTP layer,
        // so the exact bytes Meta would have signed are not what is checked: 401 even when signed (Meta never
        // sends them).
        out.add(req("ctype-text-unsigned").header("Content-Type", "text/plain").body(badMessage()).expect(401, json));
        out.add(req("ctype-xml-unsigned").header("Content-Type", "application/xml")
                .body("<entry><from>" + person().phone() + "</from></entry>").expect(401, json));
        byte[] form = badMessage();
        out.add(req("ctype-form-signed").header("Content-Type", "application/x-www-form-urlencoded")
                .header(WebhookSignature.HEADER, sign(form)).body(form).expect(401, json));
        byte[] multipart = ("--b0undary\r\nContent-Disposition: form-data; name=\"payload\"\r\n\r\n"
                + new String(badMessage(), StandardCharsets.UTF_8) + "\r\n--b0undary--\r\n").getBytes(StandardCharsets.UTF_8);
        out.add(req("ctype-multipart-signed").header("Content-Type", "multipart/form-data; boundary=b0undary")
                .header(WebhookSignature.HEADER, sign(multipart)).body(multipart).expect(401, json));

        // Signed but not JSON, or not what a webhook holds: stored and answered 200 (docs/webhooks.md: an error would only
        // make Meta deliver it again), then marked processed with the reason; no effect.
        out.add(signedPost("signed-not-json", "this is not JSON, Mrs Featherstonehaugh".getBytes(StandardCharsets.UTF_8))
                .expect(200, json));
        byte[] half = badMessage();
        out.add(signedPost("signed-truncated-json", java.util.Arrays.copyOf(half, half.length / 2)).expect(200, json));
        out.add(signedPost("signed-not-utf8", new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, '"', ':', '1', '}'})
                .expect(200, json));
        String withNul = new String(badMessage(), StandardCharsets.UTF_8).replace("Question", "Ques\u0000tion");
        out.add(signedPost("signed-nul", withNul.getBytes(StandardCharsets.UTF_8)).expect(200, json));
        out.add(signedPost("signed-empty", new byte[0]).expect(200, json));
        out.add(signedPost("signed-json-array", ("[" + new String(badMessage(), StandardCharsets.UTF_8) + "]")
                .getBytes(StandardCharsets.UTF_8)).expect(200, json));
        out.add(signedPost("signed-json-scalar", "\"whatsapp_business_account\"".getBytes(StandardCharsets.UTF_8))
                .expect(200, json));
        out.add(signedPost("signed-trailing-garbage", (new String(badMessage(), StandardCharsets.UTF_8) + "}{")
                .getBytes(StandardCharsets.UTF_8)).expect(200, json));
        String noId = new String(badMessage(), StandardCharsets.UTF_8).replaceFirst("\"id\":\"wamid\\.[^\"]+\",", "");
        out.add(signedPost("signed-message-without-id", noId.getBytes(StandardCharsets.UTF_8)).expect(200, json));
        // 100,000 levels: Jackson refuses past 1,000, so no recursion gets near the stack's end.
        out.add(signedPost("signed-deep-array", repeat("[", DEEP)).expect(200, json));
        out.add(signedPost("signed-deep-balanced", (("[".repeat(DEEP)) + ("]".repeat(DEEP))).getBytes(StandardCharsets.UTF_8))
                .expect(200, json));
        // A real message whose text is nested 100,000 levels deep: the whole delivery is malformed, no effect.
        String deepText = new String(badMessage(), StandardCharsets.UTF_8)
                .replaceFirst("\"body\":\"[^\"]*\"", "\"body\":" + "[".repeat(DEEP) + "]".repeat(DEEP));
        out.add(signedPost("signed-deep-in-message", deepText.getBytes(StandardCharsets.UTF_8)).expect(200, json));
        if (!volume) {
            out.add(signedPost("signed-deep-object", repeat("{\"a\":", DEEP)).expect(200, json));
            out.add(req("sig-missing-deep-object-full").header("Content-Type", json).body(repeat("{\"a\":", DEEP))
                    .expect(401, json));
        }

        // Unknown paths: 404 (Vert.x's own small HTML page).
        String html = "text/html";
        out.add(req("path-unknown").method("GET").path("/nope").expect(404, html));
        out.add(req("path-unknown").method("POST").path("/nope").body(badMessage()).expect(404, html));
        out.add(req("path-unknown").method("POST").path("/webhooks/whatsapp/extra").header(WebhookSignature.HEADER, sign(m))
                .body(m).expect(404, html));
        out.add(req("path-unknown").method("POST").path("/WEBHOOKS/whatsapp").body(badMessage()).expect(404, html));
        out.add(req("path-unknown").method("POST").path("/webhooks/whatsapp%2F").body(badMessage()).expect(404, html));
        out.add(req("path-unknown").method("POST").path("/webhooks/whatsapp;jsessionid=1").body(badMessage())
                .expect(404, html));
        out.add(req("path-unknown").method("GET").path("/%2e%2e/%2e%2e/etc/passwd").expect(404, html));
        // The built-in Cloud API stand-in runs only in sandbox mode: not here.
        out.add(req("path-unknown").method("POST").path("/sandbox/graph/v23.0/1/messages").body("{}").expect(404, html));

        // Wrong methods: 405, no body.
        for (String method : List.of("PUT", "DELETE", "PATCH", "OPTIONS", "HEAD")) {
            out.add(req("method-webhook").method(method).path("/webhooks/whatsapp").body(method.equals("PUT")
                    || method.equals("PATCH") ? badMessage() : new byte[0]).expect(405, ""));
        }
        for (String method : List.of("POST", "PUT", "DELETE")) {
            out.add(req("method-health").method(method).path("/health").expect(405, ""));
        }
        out.add(req("method-fhir").method("GET").path("/fhir").expect(405, ""));
        out.add(req("method-fhir").method("GET").path("/fhir/Appointment/1").expect(405, ""));
        out.add(req("method-fhir").method("PATCH").path("/fhir/Appointment/1").expect(405, ""));
        // Methods the route lets through but the notification parser does not take: 405 with an OperationOutcome.
        out.add(fhir("method-fhir", "POST", "/fhir/Appointment/1", fhirJson, "{\"resourceType\":\"Appointment\"}")
                .expect(405, fhirJson));
        out.add(fhir("method-fhir", "PUT", "/fhir", fhirJson, "{\"resourceType\":\"Bundle\"}").expect(405, fhirJson));

        // The verification handshake with anything but mode=subscribe, our token and a challenge: 403.
        String plain = "text/plain";
        out.add(handshake("handshake-wrong-token", Map.of("hub.mode", "subscribe", "hub.verify_token",
                "not-" + VERIFY_TOKEN, "hub.challenge", "1158201444")).expect(403, plain));
        out.add(handshake("handshake-no-token", Map.of("hub.mode", "subscribe", "hub.challenge", "1158201444"))
                .expect(403, plain));
        out.add(handshake("handshake-wrong-mode", Map.of("hub.mode", "unsubscribe", "hub.verify_token", VERIFY_TOKEN,
                "hub.challenge", "1158201444")).expect(403, plain));
        out.add(handshake("handshake-no-challenge", Map.of("hub.mode", "subscribe", "hub.verify_token", VERIFY_TOKEN))
                .expect(403, plain));
        out.add(req("handshake-repeated-token").method("GET").path("/webhooks/whatsapp?hub.mode=subscribe"
                + "&hub.verify_token=" + VERIFY_TOKEN + "&hub.verify_token=x&hub.challenge=42").expect(403, plain));
        out.add(req("handshake-empty").method("GET").path("/webhooks/whatsapp").expect(403, plain));

        // FHIR: wrong or missing secret → 401; nothing stored.
        String appointment = "{\"resourceType\":\"Appointment\",\"id\":\"bad-1\",\"status\":\"booked\"}";
        out.add(req("fhir-secret-wrong").method("PUT").path("/fhir/Appointment/bad-1")
                .header("X-Careline-Secret", "not-" + FHIR_SECRET).header("Content-Type", fhirJson).body(appointment)
                .expect(401, fhirJson));
        out.add(req("fhir-secret-missing").method("PUT").path("/fhir/Appointment/bad-1")
                .header("Content-Type", fhirJson).body(appointment).expect(401, fhirJson));
        out.add(req("fhir-secret-missing").method("POST").path("/fhir").header("Content-Type", fhirJson)
                .expect(401, fhirJson));
        out.add(req("fhir-secret-case").method("DELETE").path("/fhir/Appointment/bad-1")
                .header("X-Careline-Secret", FHIR_SECRET.toUpperCase(Locale.ROOT)).expect(401, fhirJson));
        out.add(req("fhir-secret-repeated").method("DELETE").path("/fhir/Appointment/bad-1")
                .header("X-Careline-Secret", FHIR_SECRET).header("X-Careline-Secret", "x").expect(401, fhirJson));
        // FHIR: bad bodies → 400 with an OperationOutcome, nothing stored.
        Person fp = person();
        out.add(fhir("fhir-bad-body", "POST", "/fhir", fhirJson, "not JSON, " + fp.name()).expect(400, fhirJson));
        out.add(fhir("fhir-bad-body", "POST", "/fhir", fhirJson, "[1,2,3]").expect(400, fhirJson));
        out.add(fhir("fhir-bad-body", "PUT", "/fhir/Patient/bad-2", fhirJson,
                "{\"resourceType\":\"Patient\",\"id\":\"bad-2\",\"name\":[{\"text\":\"" + fp.name() + "\"}]}")
                .expect(400, fhirJson));
        out.add(fhir("fhir-bad-body", "PUT", "/fhir/Appointment/bad-3", fhirJson,
                "{\"resourceType\":\"Patient\",\"id\":\"bad-3\",\"telecom\":[{\"value\":\"+" + fp.phone() + "\"}]}")
                .expect(400, fhirJson));
        out.add(fhir("fhir-bad-body", "PUT", "/fhir/Appointment/bad-4", fhirJson,
                "{\"resourceType\":\"Appointment\",\"id\":\"other\",\"status\":\"booked\"}").expect(400, fhirJson));
        out.add(fhir("fhir-bad-body", "PUT", "/fhir/Appointment/bad-5", fhirJson, "").expect(400, fhirJson));
        out.add(fhir("fhir-bad-body", "PUT", "/fhir/Appointment/bad%20id!", fhirJson, appointment).expect(400, fhirJson));
        out.add(fhir("fhir-bad-body", "POST", "/fhir", fhirJson,
                "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[]}").expect(400, fhirJson));
        out.add(fhir("fhir-bad-body", "POST", "/fhir", fhirJson,
                "{\"resourceType\":\"Bundle\",\"type\":\"history\",\"entry\":[{\"resource\":{\"resourceType\":"
                        + "\"Patient\"}}]}").expect(400, fhirJson));
        out.add(fhir("fhir-deep-json", "PUT", "/fhir/Appointment/bad-6", fhirJson,
                "{\"resourceType\":\"Appointment\",\"id\":\"bad-6\",\"x\":" + "[".repeat(DEEP)).expect(400, fhirJson));
        out.add(fhir("fhir-deep-json", "POST", "/fhir", fhirJson, "[".repeat(DEEP) + "]".repeat(DEEP))
                .expect(400, fhirJson));
        String fxml = "application/fhir+xml";
        out.add(fhir("fhir-deep-xml", "PUT", "/fhir/Appointment/bad-7", fxml,
                "<Appointment xmlns=\"http://hl7.org/fhir\"><id value=\"bad-7\"/>"
                        + "<extension url=\"http://x\">".repeat(20_000) + "<valueString value=\"v\"/>"
                        + "</extension>".repeat(20_000) + "</Appointment>").expect(400, fhirJson));
        out.add(fhir("fhir-deep-xml", "PUT", "/fhir/Appointment/bad-8", fxml,
                "<Appointment xmlns=\"http://hl7.org/fhir\">" + "<a>".repeat(DEEP)).expect(400, fhirJson));
        out.add(fhir("fhir-xxe", "PUT", "/fhir/Appointment/bad-9", fxml, "<?xml version=\"1.0\"?><!DOCTYPE Appointment "
                + "[<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Appointment xmlns=\"http://hl7.org/fhir\"><id value="
                + "\"bad-9\"/><status value=\"booked\"/><comment value=\"&x;\"/></Appointment>").expect(400, fhirJson));
        StringBuilder lol = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY l0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            lol.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
        }
        lol.append("]><Appointment xmlns=\"http://hl7.org/fhir\"><id value=\"bad-10\"/><comment value=\"&l9;\"/>"
                + "</Appointment>");
        out.add(fhir("fhir-entity-expansion", "PUT", "/fhir/Appointment/bad-10", fxml, lol.toString())
                .expect(400, fhirJson));
        out.add(fhir("fhir-bad-media-type", "PUT", "/fhir/Appointment/bad-11", "text/plain", appointment)
                .expect(415, fhirJson));
        out.add(fhir("fhir-bad-media-type", "POST", "/fhir", "application/octet-stream", "{\"resourceType\":\"Bundle\"}")
                .expect(415, fhirJson));
        return out;
    }

    private static ReqBuilder handshake(String kind, Map<String, String> query) {
        String q = query.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return req(kind).method("GET").path("/webhooks/whatsapp?" + q);
    }

    /** Bodies over the default limit: 3 MB, and the limit plus one byte. */
    private List<Req> tooLarge(int maxBytes) {
        List<Req> out = new ArrayList<>();
        String json = "application/json";
        byte[] threeMb = new byte[3 * 1024 * 1024];
        java.util.Arrays.fill(threeMb, (byte) 'a');
        out.add(signedPost("too-large-3mb-signed", threeMb).expect(413, json));
        out.add(req("too-large-3mb-unsigned").header("Content-Type", json).body(threeMb).expect(413, json));
        out.add(req("too-large-3mb-fhir").method("PUT").path("/fhir/Appointment/bad-12")
                .header("X-Careline-Secret", FHIR_SECRET).header("Content-Type", "application/fhir+json")
                .body(threeMb).expect(413, json));
        byte[] over = padded(badMessage(), maxBytes + 1);
        out.add(signedPost("too-large-limit+1", over).expect(413, json));
        return out;
    }

    private static byte[] padded(byte[] json, int size) {
        String s = new String(json, StandardCharsets.UTF_8);
        return (s.substring(0, s.length() - 1) + " ".repeat(size - json.length) + "}").getBytes(StandardCharsets.UTF_8);
    }

    // --- the suite ------------------------------------------------------------------------------------------------

    @Test
    void badWebhooksAndHttpInputAreAnsweredAsPromisedWithoutEffectCrashOrLeak() throws Exception {
        long started = System.nanoTime();
        meta = new MetaStub();
        Path db = tmp.resolve("careline");
        String dbUrl = "jdbc:h2:file:" + db + ";AUTO_SERVER=TRUE";
        secrets.watch(APP_SECRET).watch(ACCESS_TOKEN).watch(VERIFY_TOKEN).watch(FHIR_SECRET);
        int volumeN = SuiteSize.pick(1_000, 10_000);
        int clients = 6;

        // --- first start: the default body limit --------------------------------------------------------------
        EngineProcess a = start(dbUrl, "default-limit", Map.of());
        a.awaitHealthy(BOOT);
        HttpClient http = newClient();
        int port = a.httpPort();

        List<Req> catalogue = badRequests(false);
        catalogue.addAll(tooLarge(DEFAULT_MAX_BYTES));
        for (Req r : catalogue) {
            exchange(http, port, r);
        }
        // Correct requests beside them, each with its effect checked below: the right verify token, signatures in
        // the spellings WebhookSignature accepts (upper-case hex, upper-case prefix), a body of exactly the limit,
        // a signed body whose content type is not JSON (the signature covers the bytes, not the header), and one
        // FHIR notification with the right secret.
        Answer challenge = exchange(http, port, handshake("good-handshake", Map.of("hub.mode", "subscribe",
                "hub.verify_token", VERIFY_TOKEN, "hub.challenge", "1158201444")).expect(200, "text/plain"));
        assertThat(challenge.body()).as("the challenge comes back as it was sent").isEqualTo("1158201444");
        byte[] upperHex = goodMessage();
        exchange(http, port, req("good-sig-upper-hex").header("Content-Type", "application/json")
                .header(WebhookSignature.HEADER, "sha256=" + sign(upperHex).substring(7).toUpperCase(Locale.ROOT))
                .body(upperHex).expect(200, "application/json"));
        byte[] upperPrefix = goodMessage();
        exchange(http, port, req("good-sig-upper-prefix").header("Content-Type", "application/json")
                .header(WebhookSignature.HEADER, "SHA256=" + sign(upperPrefix).substring(7)).body(upperPrefix)
                .expect(200, "application/json"));
        byte[] asText = goodMessage();
        exchange(http, port, req("good-ctype-text-plain").header("Content-Type", "text/plain")
                .header(WebhookSignature.HEADER, sign(asText)).body(asText).expect(200, "application/json"));
        exchange(http, port, signedPost("good-exactly-limit", goodMessageOfSize(DEFAULT_MAX_BYTES))
                .expect(200, "application/json"));
        exchange(http, port, fhir("good-fhir", "PUT", "/fhir/Appointment/good-1", "application/fhir+json",
                "{\"resourceType\":\"Appointment\",\"id\":\"good-1\",\"status\":\"booked\"}")
                .expect(200, "application/fhir+json"));
        exchange(http, port, signedPost("good-webhook", goodMessage()).expect(200, "application/json"));
        awaitEffects(dbUrl, a);
        long threadsBefore = threads(a);

        // --- volume: the bad requests again and again from several clients, /health polled throughout ---------
        List<Req> cheap = badRequests(true);
        List<Req> big = tooLarge(DEFAULT_MAX_BYTES);
        AtomicBoolean volumeRunning = new AtomicBoolean(true);
        AtomicInteger healthPolls = new AtomicInteger();
        List<String> healthFailures = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
        Future<?> poller = pool.submit(() -> {
            HttpClient h = newClient();
            Req health = req("health").method("GET").path("/health").expect(200, "application/json");
            while (volumeRunning.get()) {
                Answer ans = send(h, port, health);
                healthPolls.incrementAndGet();
                if (ans.status() != 200) {
                    healthFailures.add(ans.status() + " " + (ans.failure() != null ? ans.failure() : abbreviate(ans.body())));
                }
                try {
                    Thread.sleep(100); // a load balancer's health check, ten a second
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                HttpClient h = newClient();
                for (int i = next.getAndIncrement(); i < volumeN; i = next.getAndIncrement()) {
                    // One in a hundred is one of the big bodies; the rest cycle through the small bad requests.
                    Req r = i % 100 == 99 ? big.get((i / 100) % big.size()) : cheap.get(i % cheap.size());
                    exchange(h, port, r);
                }
            }));
        }
        for (Future<?> w : workers) {
            w.get(10, TimeUnit.MINUTES);
        }
        // A few more polls after the last request, then stop polling.
        Thread.sleep(500);
        volumeRunning.set(false);
        poller.get(1, TimeUnit.MINUTES);
        pool.shutdown();

        // After the volume a correctly signed webhook still has its effect, and the threads are back within bounds.
        exchange(http, port, signedPost("good-webhook", goodMessage()).expect(200, "application/json"));
        awaitEffects(dbUrl, a);
        long threadsAfter;
        try {
            threadsAfter = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> threads(a), t -> t <= threadsBefore + 32);
        } catch (ConditionTimeoutException e) {
            threadsAfter = threads(a);
        }
        int exitA = a.stop(Duration.ofSeconds(60));

        // --- second start on the same database: a lower limit, one byte under/at and one byte over ------------
        EngineProcess b = start(dbUrl, "low-limit", Map.of("CARELINE_WEBHOOK_MAX_BYTES", String.valueOf(LOW_MAX_BYTES)));
        b.awaitHealthy(BOOT);
        int portB = b.httpPort();
        exchange(http, portB, signedPost("low-limit-exactly", goodMessageOfSize(LOW_MAX_BYTES)).expect(200, "application/json"));
        exchange(http, portB, signedPost("low-limit-under", goodMessageOfSize(LOW_MAX_BYTES - 1)).expect(200, "application/json"));
        for (Req r : tooLarge(LOW_MAX_BYTES)) {
            exchange(http, portB, r);
        }
        exchange(http, portB, req("low-limit+1-unsigned").header("Content-Type", "application/json")
                .body(padded(badMessage(), LOW_MAX_BYTES + 1)).expect(413, "application/json"));
        exchange(http, portB, fhir("low-limit+1-fhir", "PUT", "/fhir/Appointment/bad-13", "application/fhir+json",
                "{\"resourceType\":\"Appointment\",\"id\":\"bad-13\",\"status\":\"booked\",\"comment\":\""
                        + "x".repeat(LOW_MAX_BYTES) + "\"}").expect(413, "application/json"));
        awaitEffects(dbUrl, b);
        int exitB = b.stop(Duration.ofSeconds(60));

        // --- the database, opened directly with both engines stopped ------------------------------------------
        Effects effects = effects(dbUrl);
        List<String> inLogs = secrets.foundInEngines(a, b);
        Set<String> stubRecipients = meta.received().stream().filter(r -> !r.isMediaUpload())
                .map(r -> r.json().path("to").asText()).collect(Collectors.toCollection(TreeSet::new));
        List<String> effectsFromBad = new ArrayList<>();
        effects.wamids.stream().filter(w -> !goodWamids.contains(w)).forEach(w -> effectsFromBad.add("inbound_reply " + w));
        effects.statusWamids.forEach(w -> effectsFromBad.add("message_status " + w));
        effects.outboxPhones.stream().filter(p -> !goodPhones.contains(p)).forEach(p -> effectsFromBad.add("outbox " + p));
        effects.contactPhones.stream().filter(p -> !goodPhones.contains(p)).forEach(p -> effectsFromBad.add("contact " + p));
        effects.handoffPhones.stream().filter(p -> !goodPhones.contains(p)).forEach(p -> effectsFromBad.add("handoff " + p));
        effects.fhirWork.stream().filter(f -> !f.equals("Appointment/good-1")).forEach(f -> effectsFromBad.add("fhir_work " + f));
        stubRecipients.stream().filter(p -> !goodPhones.contains(p)).forEach(p -> effectsFromBad.add("sent to " + p));
        if (effects.appointments > 0) {
            effectsFromBad.add(effects.appointments + " appointments");
        }
        Set<String> goodMissing = new TreeSet<>(goodWamids);
        goodMissing.removeAll(effects.wamids);
        Set<String> repliesMissing = new TreeSet<>(goodPhones);
        repliesMissing.removeAll(stubRecipients);

        long wallSeconds = (System.nanoTime() - started) / 1_000_000_000L;
        new SuiteSummary("http/bad-input")
                .put("requests", tally.total())
                .put("answered as expected", tally.totalAsExpected())
                .put("unexpected codes", tally.unexpected.size())
                .put("stack traces", tally.stackTraces.size())
                .put("bad content types", tally.badContentTypes.size())
                .put("secrets echoed", tally.echoes.size())
                .put("slowest answer ms", tally.maxMillis.get())
                .put("webhook POSTs stored (200)", tally.webhookPostsStored.get())
                .put("webhook_delivery rows", effects.deliveries)
                .put("unprocessed deliveries", effects.unprocessed)
                .put("good messages", goodWamids.size())
                .put("good effects missing", goodMissing.size() + repliesMissing.size())
                .put("effects from bad input", effectsFromBad.size())
                .put("health polls", healthPolls.get())
                .put("health failures", healthFailures.size())
                .put("threads before/after volume", threadsBefore + "/" + threadsAfter)
                .put("engine exits", exitA + "/" + exitB)
                .put("watched secrets/PHI", secrets.size())
                .put("secrets found in logs", inLogs.size())
                .put("wall s", wallSeconds)
                .put("by kind (as expected/sent)", tally.byKind())
                .report();

        assertThat(tally.unexpected).as("answers with another code than promised").isEmpty();
        assertThat(tally.stackTraces).as("answers carrying a stack trace or exception text").isEmpty();
        assertThat(tally.badContentTypes).as("answers whose content type does not fit").isEmpty();
        assertThat(tally.echoes).as("answers echoing a secret").isEmpty();
        assertThat(healthFailures).as("GET /health during the volume").isEmpty();
        assertThat(healthPolls.get()).as("health polls").isPositive();
        assertThat(effectsFromBad).as("effects of bad requests").isEmpty();
        assertThat(goodMissing).as("correctly signed messages not stored").isEmpty();
        assertThat(repliesMissing).as("correctly signed messages not answered").isEmpty();
        assertThat(effects.fhirWork).as("the one correct FHIR notification queued its re-read")
                .containsExactly("Appointment/good-1");
        assertThat(effects.deliveries).as("one webhook_delivery per distinct body answered 200, none for a refused one")
                .isEqualTo(tally.webhookBodiesStored.size());
        assertThat(effects.unprocessed).as("deliveries never processed").isZero();
        assertThat(effects.malformedWithoutReason).as("malformed deliveries processed without a reason").isZero();
        assertThat(threadsAfter).as("engine threads after the volume (before: %d)", threadsBefore)
                .isLessThanOrEqualTo(threadsBefore + 32);
        assertThat(exitA).as("exit after SIGTERM\n%s", a.output()).isIn(0, 143);
        assertThat(exitB).as("exit after SIGTERM\n%s", b.output()).isIn(0, 143);
        assertThat(inLogs).as("secrets, names, phones or texts in the engine's log").isEmpty();
    }

    // --- engine, database, process ------------------------------------------------------------------------------

    private EngineProcess start(String dbUrl, String name, Map<String, String> extra) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_MLLP_PORT", String.valueOf(EngineFixture.freePort()));
        env.put("CARELINE_HTTP_PORT", String.valueOf(EngineFixture.freePort()));
        env.put("CARELINE_DB_URL", dbUrl);
        env.put("CARELINE_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString());
        env.put("CARELINE_MAPPINGS_DIR", Path.of("mappings").toAbsolutePath().toString());
        // A zone where it is about noon, so no site's quiet hours hold a reply back whenever this runs.
        int utcHour = Instant.now().atOffset(ZoneOffset.UTC).getHour();
        env.put("CARELINE_TIMEZONE", ZoneOffset.ofHours(12 - utcHour).getId());
        env.put("CARELINE_PHONE_REGION", "US");
        env.put("WHATSAPP_API_BASE", meta.baseUrl());
        env.put("WHATSAPP_PHONE_NUMBER_ID", EngineFixture.PHONE_NUMBER_ID);
        env.put("WHATSAPP_ACCESS_TOKEN", ACCESS_TOKEN);
        env.put("WHATSAPP_APP_SECRET", APP_SECRET);
        env.put("WHATSAPP_VERIFY_TOKEN", VERIFY_TOKEN);
        // FHIR on, so /fhir checks secrets and bodies; nobody listens there (the one good notification's re-read
        // is retried in the background, which is all it should do).
        env.put("CARELINE_FHIR_BASE_URL", "http://127.0.0.1:9/fhir");
        env.put("CARELINE_FHIR_NOTIFY_SECRET", FHIR_SECRET);
        env.putAll(extra);
        EngineProcess engine = EngineProcess.startJar(env, tmp, name);
        engines.add(engine);
        return engine;
    }

    /** Waits until every stored delivery is processed and every good message is stored and answered. */
    private void awaitEffects(String dbUrl, EngineProcess engine) {
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
                Effects e = effects(dbUrl);
                Set<String> sentTo = meta.received().stream().filter(r -> !r.isMediaUpload())
                        .map(r -> r.json().path("to").asText()).collect(Collectors.toSet());
                return e.unprocessed == 0 && e.wamids.containsAll(goodWamids) && sentTo.containsAll(goodPhones);
            });
        } catch (ConditionTimeoutException e) {
            // Reported with counts at the end; the engine's log helps to see why.
            System.out.println("[reliability] effects not all there in time\n" + engine.output());
        }
    }

    /** What the database holds that requests could have caused. */
    private static final class Effects {
        long deliveries;
        long unprocessed;
        long malformedWithoutReason;
        long appointments;
        final Set<String> wamids = new TreeSet<>();
        final Set<String> statusWamids = new TreeSet<>();
        final Set<String> outboxPhones = new TreeSet<>();
        final Set<String> contactPhones = new TreeSet<>();
        final Set<String> handoffPhones = new TreeSet<>();
        final List<String> fhirWork = new ArrayList<>();
    }

    private static Effects effects(String dbUrl) throws SQLException {
        Effects e = new Effects();
        try (Connection c = DriverManager.getConnection(dbUrl, "careline", "")) {
            e.deliveries = count(c, "SELECT COUNT(*) FROM webhook_delivery");
            e.unprocessed = count(c, "SELECT COUNT(*) FROM webhook_delivery WHERE processed_at IS NULL");
            // Bodies that are not JSON must say why they were not processed (docs/webhooks.md: "marked processed with the
            // reason"); a body starting with '{' may be JSON and fine without one.
            e.malformedWithoutReason = count(c, "SELECT COUNT(*) FROM webhook_delivery WHERE processed_at IS NOT NULL "
                    + "AND error IS NULL AND body NOT LIKE '{%'");
            e.appointments = count(c, "SELECT COUNT(*) FROM appointment");
            e.wamids.addAll(strings(c, "SELECT wamid FROM inbound_reply"));
            e.statusWamids.addAll(strings(c, "SELECT wamid FROM message_status"));
            e.outboxPhones.addAll(digits(strings(c, "SELECT recipient_phone FROM outbox WHERE recipient_phone IS NOT NULL")));
            e.contactPhones.addAll(digits(strings(c, "SELECT phone_e164 FROM contact_preference")));
            e.handoffPhones.addAll(digits(strings(c, "SELECT phone_e164 FROM staff_handoff")));
            e.fhirWork.addAll(strings(c, "SELECT COALESCE(focus, 'catch-up') FROM fhir_work ORDER BY id"));
        }
        return e;
    }

    private static List<String> digits(List<String> phones) {
        return phones.stream().map(p -> p.replaceAll("\\D", "")).toList();
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return Collections.unmodifiableList(out);
        }
    }

    /** The engine JVM's thread count, from /proc/&lt;pid&gt;/status. */
    private static long threads(EngineProcess engine) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(engine.process().pid()), "status"))) {
            if (line.startsWith("Threads:")) {
                return Long.parseLong(line.substring("Threads:".length()).trim());
            }
        }
        throw new IllegalStateException("no Threads: line for pid " + engine.process().pid());
    }
}
