package org.careline.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.careline.ingest.whatsapp.WebhookSignature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * Meta's side of the webhooks for tests: payloads taken from the examples of {@code POST /whatsapp/webhooks} in the
 * Cloud API OpenAPI description (../shared/oracles/whatsapp, read only, may be absent: check {@link #available()}),
 * status payloads built after its {@code Statuses} schema, and POSTs signed as Meta signs them.
 */
public final class MetaWebhooks {

    public static final Path SPEC = Path.of("../shared/oracles/whatsapp/business-messaging-api_v23.0.yaml");
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static JsonNode spec;

    private MetaWebhooks() {
    }

    /** A signed POST as sent, its answer, and how long the answer took. */
    public record Posted(byte[] body, HttpResponse<String> response, Duration took) {
        public int status() {
            return response.statusCode();
        }
    }

    /** Whether the OpenAPI description is there (tests that use its examples assume it). */
    public static boolean available() {
        return Files.isRegularFile(SPEC);
    }

    /** The spec (~1 MB of YAML), read once for the whole test run. */
    public static synchronized JsonNode spec() {
        if (spec == null) {
            try {
                spec = new YAMLMapper().readTree(SPEC.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return spec;
    }

    /** Every named example of the webhook request body, in the spec's order (values are copies to patch). */
    public static Map<String, ObjectNode> examples() {
        JsonNode examples = spec().path("paths").path("/whatsapp/webhooks").path("post").path("requestBody")
                .path("content").path("application/json").path("examples");
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = examples.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), (ObjectNode) e.getValue().path("value").deepCopy());
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no examples under POST /whatsapp/webhooks in " + SPEC);
        }
        return out;
    }

    /** One example by name, a copy. */
    public static ObjectNode example(String name) {
        ObjectNode e = examples().get(name);
        if (e == null) {
            throw new IllegalArgumentException("no webhook example named '" + name + "'");
        }
        return e;
    }

    /** The messages[] of an example (the spec's examples have one entry and one change each). */
    public static ArrayNode messages(ObjectNode payload) {
        return (ArrayNode) payload.path("entry").path(0).path("changes").path(0).path("value").path("messages");
    }

    /**
     * Gives each message of the payload a fresh wamid (the spec reuses one wamid across several examples), the
     * sender {@code from} (digits) and the timestamp; returns the payload.
     */
    public static ObjectNode patchMessages(ObjectNode payload, String from, Instant sentAt) {
        for (JsonNode entry : payload.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                for (JsonNode m : change.path("value").path("messages")) {
                    ((ObjectNode) m).put("id", newWamid());
                    ((ObjectNode) m).put("from", from);
                    ((ObjectNode) m).put("timestamp", String.valueOf(sentAt.getEpochSecond()));
                }
                for (JsonNode c : change.path("value").path("contacts")) {
                    ((ObjectNode) c).put("wa_id", from);
                }
            }
        }
        return payload;
    }

    /**
     * One text message, shaped as the spec's "Text Message" example (built here, so tests that need no spec run
     * without it); the body text is "Yes, see you then".
     */
    public static ObjectNode textMessage(String wamid, String from, Instant sentAt) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("object", "whatsapp_business_account");
        ObjectNode change = payload.putArray("entry").addObject().put("id", "419561257915477")
                .putArray("changes").addObject();
        change.put("field", "messages");
        ObjectNode value = change.putObject("value");
        value.put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", "15550783881")
                .put("phone_number_id", EngineFixture.PHONE_NUMBER_ID);
        value.putArray("contacts").addObject().put("wa_id", from).putObject("profile").put("name", "Test Patient");
        ObjectNode m = value.putArray("messages").addObject();
        m.put("from", from);
        m.put("id", wamid);
        m.put("timestamp", String.valueOf(sentAt.getEpochSecond()));
        m.put("type", "text");
        m.putObject("text").put("body", "Yes, see you then");
        return payload;
    }

    public static String newWamid() {
        return "wamid.T" + UUID.randomUUID().toString().replace("-", "");
    }

    /** A status entry with the fields of the spec's Statuses schema (id, status, timestamp, recipient_id, ...). */
    public static ObjectNode status(String wamid, String status, Instant at) {
        ObjectNode s = JSON.createObjectNode();
        s.put("id", wamid);
        s.put("status", status);
        s.put("timestamp", String.valueOf(at.getEpochSecond()));
        s.put("recipient_id", "16082719000");
        if (!"read".equals(status) && !"failed".equals(status)) {
            ObjectNode conversation = s.putObject("conversation");
            conversation.put("id", "CONVERSATION_ID");
            conversation.put("expiration_timestamp", String.valueOf(at.getEpochSecond() + 86400));
            conversation.putObject("origin").put("type", "utility");
            ObjectNode pricing = s.putObject("pricing");
            pricing.put("billable", true);
            pricing.put("pricing_model", "PMP");
            pricing.put("category", "utility");
        }
        return s;
    }

    /** A failed status with errors[0] = {code, title, message, error_data.details}, as the StatusError schema has. */
    public static ObjectNode failed(String wamid, int code, String title, Instant at) {
        ObjectNode s = status(wamid, "failed", at);
        ObjectNode error = s.putArray("errors").addObject();
        error.put("code", code);
        error.put("title", title);
        error.put("message", title);
        error.putObject("error_data").put("details", title + " (details)");
        error.put("href", "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/");
        return s;
    }

    /** A webhook body with one entry and one change holding these statuses (StatusMessageValue). */
    public static ObjectNode statusPayload(ObjectNode... statuses) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("object", "whatsapp_business_account");
        ObjectNode change = payload.putArray("entry").addObject().put("id", "419561257915477")
                .putArray("changes").addObject();
        change.put("field", "messages");
        ObjectNode value = change.putObject("value");
        value.put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", "15550783881")
                .put("phone_number_id", EngineFixture.PHONE_NUMBER_ID);
        ArrayNode list = value.putArray("statuses");
        for (ObjectNode s : statuses) {
            list.add(s);
        }
        return payload;
    }

    public static byte[] bytes(JsonNode payload) {
        try {
            return JSON.writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POSTs the payload signed with the test engines' app secret, as Meta does. */
    public static Posted post(EngineFixture fx, JsonNode payload) {
        return post(fx, bytes(payload));
    }

    /** POSTs these exact bytes, signed with the test engines' app secret. */
    public static Posted post(EngineFixture fx, byte[] body) {
        return post(fx, body, WebhookSignature.sign(body, EngineFixture.APP_SECRET), "application/json");
    }

    /**
     * POSTs the payload to an engine in another process (its HTTP port), signed with {@code appSecret} as Meta
     * signs it. A failure to get an answer (the engine died) is thrown, not wrapped: the caller counts it.
     */
    public static Posted post(int httpPort, String appSecret, JsonNode payload)
            throws IOException, InterruptedException {
        byte[] body = bytes(payload);
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/webhooks/whatsapp"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("User-Agent", "facebookexternalua")
                .header(WebhookSignature.HEADER, WebhookSignature.sign(body, appSecret))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long start = System.nanoTime();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Posted(body, response, Duration.ofNanos(System.nanoTime() - start));
    }

    /** POSTs these exact bytes with this X-Hub-Signature-256 value (null: no header) and Content-Type. */
    public static Posted post(EngineFixture fx, byte[] body, String signature, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(fx, ""))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType)
                .header("User-Agent", "facebookexternalua")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header(WebhookSignature.HEADER, signature);
        }
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Posted(body, response, Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET with these query parameters (name → value, URL-encoded here), as Meta's verification request. */
    public static HttpResponse<String> get(EngineFixture fx, Map<String, String> query) {
        StringJoiner q = new StringJoiner("&", "?", "");
        query.forEach((k, v) -> q.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        try {
            return HTTP.send(HttpRequest.newBuilder(url(fx, query.isEmpty() ? "" : q.toString()))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static URI url(EngineFixture fx, String query) {
        return URI.create("http://127.0.0.1:" + fx.httpPort() + "/webhooks/whatsapp" + query);
    }

    /** The Statuses schema's property names, to check built statuses against. */
    public static List<String> statusSchemaProperties() {
        JsonNode props = spec().path("components").path("schemas").path("Statuses").path("properties");
        List<String> names = new java.util.ArrayList<>();
        props.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
