package org.careline.ingest.whatsapp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.careline.support.EngineFixture;
import org.careline.support.MetaWebhooks;
import org.careline.support.MetaWebhooks.Posted;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The webhook endpoint over real HTTP: the verification handshake, signatures over the exact bytes, the size limit,
 * and that a valid POST is stored before it is answered. One engine for the class; each test posts its own data.
 */
class WebhookIntakeTest {

    private static final Instant NOW = Instant.parse("2030-03-05T19:00:00Z");
    private static final int LIMIT = 65_536;
    private static final List<String> TABLES = List.of("webhook_delivery", "inbound_reply", "message_status",
            "contact_preference", "message_event");

    private static EngineFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = EngineFixture.start(Map.of("CARELINE_WEBHOOK_MAX_BYTES", String.valueOf(LIMIT)), NOW);
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @Test
    void handshakeWithOurTokenAnswersTheChallengeAsPlainText() {
        HttpResponse<String> r = MetaWebhooks.get(fx, Map.of("hub.mode", "subscribe",
                "hub.verify_token", EngineFixture.VERIFY_TOKEN, "hub.challenge", "1158201444"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("1158201444");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        // Request parameters are not echoed back as response headers.
        assertThat(r.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("hub."));
    }

    @Test
    void handshakeWithAWrongTokenOrModeIsForbidden() {
        String token = EngineFixture.VERIFY_TOKEN;
        List<Map<String, String>> refused = List.of(
                Map.of("hub.mode", "subscribe", "hub.verify_token", "wrong", "hub.challenge", "1"),
                Map.of("hub.mode", "subscribe", "hub.verify_token", token.toUpperCase(), "hub.challenge", "2"),
                Map.of("hub.mode", "subscribe", "hub.verify_token", token + "x", "hub.challenge", "3"),
                Map.of("hub.mode", "subscribe", "hub.verify_token", token.substring(1), "hub.challenge", "4"),
                Map.of("hub.mode", "subscribe", "hub.verify_token", "", "hub.challenge", "5"),
                Map.of("hub.mode", "unsubscribe", "hub.verify_token", token, "hub.challenge", "6"),
                Map.of("hub.mode", "SUBSCRIBE", "hub.verify_token", token, "hub.challenge", "7"),
                Map.of("hub.verify_token", token, "hub.challenge", "8"),
                Map.of("hub.mode", "subscribe", "hub.challenge", "9"),
                Map.of("hub.mode", "subscribe", "hub.verify_token", token),
                Map.of());
        for (Map<String, String> query : refused) {
            HttpResponse<String> r = MetaWebhooks.get(fx, query);
            assertThat(r.statusCode()).as("%s", query).isEqualTo(403);
            assertThat(r.body()).as("%s", query).doesNotContain(query.getOrDefault("hub.challenge", "none"));
        }
    }

    @Test
    void aBadSignatureIs401AndNothingIsStoredAnywhere() throws Exception {
        Map<String, Long> before = settledCounts();
        byte[] body = MetaWebhooks.bytes(textMessage(MetaWebhooks.newWamid(), "16505550101"));
        String good = WebhookSignature.sign(body, EngineFixture.APP_SECRET);
        List<String> bad = List.of(
                WebhookSignature.sign(body, "not-the-app-secret"),
                good.substring(0, good.length() - 1) + (good.endsWith("0") ? "1" : "0"),
                good.substring("sha256=".length()),
                "sha1=" + good.substring("sha256=".length()),
                "");
        for (String signature : bad) {
            Posted p = MetaWebhooks.post(fx, body, signature, "application/json");
            assertThat(p.status()).as(signature).isEqualTo(401);
            assertNoLeak(p.response());
        }
        // The right signature over other bytes (Meta's body re-serialised with a space) does not pass either.
        byte[] reformatted = new String(body, StandardCharsets.UTF_8).replace("\":", "\": ").getBytes(StandardCharsets.UTF_8);
        assertThat(MetaWebhooks.post(fx, reformatted, good, "application/json").status()).isEqualTo(401);
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void aMissingSignatureHeaderIs401() throws Exception {
        Map<String, Long> before = settledCounts();
        Posted p = MetaWebhooks.post(fx, MetaWebhooks.bytes(textMessage(MetaWebhooks.newWamid(), "16505550102")),
                null, "application/json");
        assertThat(p.status()).isEqualTo(401);
        assertThat(p.response().body()).contains("X-Hub-Signature-256");
        assertNoLeak(p.response());
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void aBodyOverTheLimitIs413AndNotStoredWhileOneAtTheLimitIsTaken() throws Exception {
        Map<String, Long> before = settledCounts();
        byte[] over = padded(textMessage(MetaWebhooks.newWamid(), "16505550103"), LIMIT + 1);
        Posted tooLarge = MetaWebhooks.post(fx, over);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.response().body()).isEqualTo("{\"error\":\"body too large\"}");
        assertNoLeak(tooLarge.response());
        // The same without a Content-Length (chunked): refused once the limit is passed.
        HttpResponse<String> chunked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + fx.httpPort() + "/webhooks/whatsapp"))
                .header("Content-Type", "application/json")
                .header(WebhookSignature.HEADER, WebhookSignature.sign(over, EngineFixture.APP_SECRET))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(over)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(counts()).isEqualTo(before);

        String wamid = MetaWebhooks.newWamid();
        byte[] atLimit = padded(textMessage(wamid, "16505550103"), LIMIT);
        assertThat(MetaWebhooks.post(fx, atLimit).status()).isEqualTo(200);
        awaitReply(wamid);
    }

    @Test
    void aValidPostIsStoredBeforeItIsAnsweredAndAnsweredAtOnce() throws Exception {
        String wamid = MetaWebhooks.newWamid();
        byte[] body = MetaWebhooks.bytes(textMessage(wamid, "16505550104"));
        MetaWebhooks.post(fx, body); // a first request warms up the connection and the code path
        String second = MetaWebhooks.newWamid();
        body = MetaWebhooks.bytes(textMessage(second, "16505550104"));

        Posted p = MetaWebhooks.post(fx, body);
        List<Map<String, Object>> stored = fx.query("SELECT id, body, received_at FROM webhook_delivery WHERE body = ?",
                new String(body, StandardCharsets.UTF_8));

        assertThat(p.status()).isEqualTo(200);
        assertThat(p.took()).isLessThan(Duration.ofSeconds(1));
        assertThat(p.response().body()).isIn("", "{\"status\":\"ok\"}");
        assertThat(p.response().headers().firstValue("X-Hub-Signature-256")).isEmpty();
        assertThat(stored).as("stored when the 200 arrived").hasSize(1);
        awaitReply(second);
    }

    @Test
    void theSignatureIsCheckedOverTheExactBytesWhateverTheirFormOrDeclaredCharset() throws Exception {
        String wamid = MetaWebhooks.newWamid();
        // Pretty-printed, non-ASCII text, unicode escapes and a declared charset that is not the body's: any decoding or
        // re-serialisation before the HMAC would break the signature or change what is stored.
        String text = "{\n  \"object\" : \"whatsapp_business_account\",\n  \"entry\" : [ { \"id\" : \"1\", \"changes\" : [ {"
                + " \"field\" : \"messages\", \"value\" : { \"messaging_product\" : \"whatsapp\", \"messages\" : [ {"
                + " \"from\" : \"16505550105\", \"id\" : \"" + wamid + "\", \"timestamp\" : \"1900000000\","
                + " \"type\" : \"text\", \"text\" : { \"body\" : \"¿Mañana a las 10? 👍 \\u00e9\\/ok\" } } ] } } ] } ]\n}\n";
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        Posted p = MetaWebhooks.post(fx, body, WebhookSignature.sign(body,
                EngineFixture.APP_SECRET), "application/json; charset=ISO-8859-1");
        assertThat(p.status()).isEqualTo(200);
        assertThat(fx.count("SELECT COUNT(*) FROM webhook_delivery WHERE body = ?", text)).isEqualTo(1);
        Map<String, Object> reply = awaitReply(wamid);
        assertThat(reply).containsEntry("CONTENT", "¿Mañana a las 10? 👍 é/ok");
    }

    @Test
    void malformedJsonWithAValidSignatureIsStoredAnswered200AndMarkedProcessedWithAnError() throws Exception {
        Map<String, Long> before = settledCounts();
        String text = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"value\":{\"messages\":"
                + "[{\"from\":\"16505550106\",\"id\":\"wamid.X\",\"type\":\"text\",\"text\":{\"body\":\"Jane Doe";
        Posted p = MetaWebhooks.post(fx, text.getBytes(StandardCharsets.UTF_8));
        assertThat(p.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.count("SELECT COUNT(*) FROM webhook_delivery "
                + "WHERE body = ? AND processed_at IS NOT NULL", text) == 1);
        Map<String, Object> row = fx.query("SELECT error, attempts FROM webhook_delivery WHERE body = ?", text).get(0);
        assertThat((String) row.get("ERROR")).startsWith("malformed JSON at line 1").doesNotContain("Jane");
        assertThat(row.get("ATTEMPTS")).isEqualTo(1);
        Map<String, Long> after = counts();
        assertThat(after.get("webhook_delivery")).isEqualTo(before.get("webhook_delivery") + 1);
        after.remove("webhook_delivery");
        before.remove("webhook_delivery");
        assertThat(after).isEqualTo(before);
    }

    @Test
    void aSignedBodyThatIsNotUtf8TextIsKeptProcessedWithTheReasonAndAnswered200() throws Exception {
        String marker = MetaWebhooks.newWamid();
        byte[] latin1 = ("{\"id\":\"" + marker + "\",\"text\":\"Se\u00f1or\"}").getBytes(StandardCharsets.ISO_8859_1);
        byte[] nul = ("{\"id\":\"" + marker + "-nul\",\"text\":\"a\u0000b\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(MetaWebhooks.post(fx, latin1).status()).isEqualTo(200);
        assertThat(MetaWebhooks.post(fx, nul).status()).isEqualTo(200);
        List<Map<String, Object>> rows = fx.query("SELECT error, processed_at FROM webhook_delivery WHERE body LIKE ? "
                + "ORDER BY id", "%" + marker + "%");
        assertThat(rows).extracting(r -> r.get("ERROR"))
                .containsExactly("body is not UTF-8", "body holds a NUL character");
        assertThat(rows).allSatisfy(r -> assertThat(r.get("PROCESSED_AT")).isNotNull());
    }

    @Test
    void unknownMessageTypesAndUnknownFieldsAreStoredWithoutError() throws Exception {
        String wamid = MetaWebhooks.newWamid();
        ObjectNode payload = textMessage(wamid, "16505550107");
        payload.put("brand_new_top_level", true);
        ObjectNode value = (ObjectNode) payload.path("entry").path(0).path("changes").path(0).path("value");
        value.putObject("future_block").put("x", 1);
        ObjectNode message = (ObjectNode) value.path("messages").path(0);
        message.remove("text");
        message.put("type", "hologram");
        message.putObject("hologram").put("frames", 24);
        message.put("unheard_of", "field");
        String body = new String(MetaWebhooks.bytes(payload), StandardCharsets.UTF_8);

        assertThat(MetaWebhooks.post(fx, payload).status()).isEqualTo(200);
        Map<String, Object> reply = awaitReply(wamid);
        assertThat(reply).containsEntry("MESSAGE_TYPE", "hologram").containsEntry("CONTENT", null)
                .containsEntry("FROM_PHONE", "+16505550107");
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.count("SELECT COUNT(*) FROM webhook_delivery "
                + "WHERE body = ? AND processed_at IS NOT NULL", body) == 1);
        assertThat(fx.query("SELECT error FROM webhook_delivery WHERE body = ?", body).get(0)).containsEntry("ERROR", null);
    }

    @Test
    void aPostThatCannotBeStoredIs500WithoutAStackTraceSoMetaSendsItAgain() throws Exception {
        String wamid = MetaWebhooks.newWamid();
        byte[] body = MetaWebhooks.bytes(textMessage(wamid, "16505550108"));
        settledCounts();
        alter("ALTER TABLE webhook_delivery RENAME TO webhook_delivery_away");
        Posted failed;
        try {
            failed = MetaWebhooks.post(fx, body);
        } finally {
            alter("ALTER TABLE webhook_delivery_away RENAME TO webhook_delivery");
        }
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.response().body()).isEqualTo("{\"error\":\"not stored; try again\"}");
        assertNoLeak(failed.response());
        assertThat(fx.count("SELECT COUNT(*) FROM webhook_delivery WHERE body LIKE ?", "%" + wamid + "%")).isZero();

        // Meta's retry of the same POST is taken.
        assertThat(MetaWebhooks.post(fx, body).status()).isEqualTo(200);
        awaitReply(wamid);
    }

    private static void alter(String sql) {
        fx.engine.database().inTransaction(c -> {
            try (var st = c.createStatement()) {
                st.execute(sql);
            }
            return null;
        });
    }

    @Test
    void otherMethodsAreRefusedWithoutAStackTrace() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + fx.httpPort() + "/webhooks/whatsapp"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isBetween(400, 499);
        assertNoLeak(r);
    }

    /**
     * Issue 14, finding 6: the same signed body is stored once, however often it comes, also when the copies arrive
     * together and share a group commit with other senders' webhooks (which are all stored); every copy gets 200.
     * The bodies hold no messages, so nothing is answered and the other tests' counts stay as they are.
     */
    @Test
    void theSameSignedBodyIsStoredOnceAndItsCopiesAnswer200() throws Exception {
        String marker = "repeat-" + MetaWebhooks.newWamid();
        byte[] repeated = ("{\"object\":\"whatsapp_business_account\",\"entry\":[],\"marker\":\"" + marker
                + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<byte[]> bodies = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            bodies.add(repeated);
            bodies.add(("{\"object\":\"whatsapp_business_account\",\"entry\":[],\"marker\":\"" + marker + "-" + i
                    + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (byte[] body : bodies) {
                answers.add(pool.submit(() -> MetaWebhooks.post(fx, body).status()));
            }
            for (java.util.concurrent.Future<Integer> a : answers) {
                assertThat(a.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(MetaWebhooks.post(fx, repeated).status()).isEqualTo(200);
        String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(repeated));
        assertThat(fx.count("SELECT COUNT(*) FROM webhook_delivery WHERE body = ?",
                new String(repeated, java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM webhook_delivery WHERE body_hash = ?", hash)).isEqualTo(1);
        // The 8 others, each once.
        assertThat(fx.count("SELECT COUNT(*) FROM webhook_delivery WHERE body LIKE ?", "%" + marker + "%"))
                .isEqualTo(9);
        settledCounts();
    }

    static ObjectNode textMessage(String wamid, String from) {
        return MetaWebhooks.textMessage(wamid, from, NOW.minusSeconds(5));
    }

    /** The payload's JSON followed by blanks (still valid JSON) up to exactly {@code size} bytes. */
    private static byte[] padded(ObjectNode payload, int size) {
        byte[] json = MetaWebhooks.bytes(payload);
        byte[] out = new byte[size];
        System.arraycopy(json, 0, out, 0, json.length);
        java.util.Arrays.fill(out, json.length, size, (byte) ' ');
        return out;
    }

    private static Map<String, Object> awaitReply(String wamid) throws SQLException {
        await().atMost(Duration.ofSeconds(10)).until(() ->
                fx.count("SELECT COUNT(*) FROM inbound_reply WHERE wamid = ?", wamid) == 1);
        return fx.query("SELECT * FROM inbound_reply WHERE wamid = ?", wamid).get(0);
    }

    private static Map<String, Long> counts() throws SQLException {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (String table : TABLES) {
            counts.put(table, fx.count("SELECT COUNT(*) FROM " + table));
        }
        return counts;
    }

    /** Counts of every table a webhook can write to, once everything stored so far is processed. */
    private static Map<String, Long> settledCounts() throws SQLException {
        await().atMost(Duration.ofSeconds(10)).until(() ->
                fx.count("SELECT COUNT(*) FROM webhook_delivery WHERE processed_at IS NULL") == 0);
        return counts();
    }

    /** No stack trace, no secret, no request header echoed back. */
    private static void assertNoLeak(HttpResponse<String> r) {
        assertThat(r.body()).doesNotContain("Exception", "\tat ", "at org.", "at io.", EngineFixture.APP_SECRET);
        assertThat(r.headers().firstValue("X-Hub-Signature-256")).isEmpty();
    }
}
