package org.careline.ingest.whatsapp;

import org.careline.model.InboundMessage;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.careline.send.DeliveryStatuses;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a webhook body of Meta's WhatsApp Business Account webhooks (field {@code messages}): every
 * entry[].changes[].value.messages[] as an {@link InboundMessage} and every .statuses[] as a
 * {@link DeliveryStatuses.Update}, in the order they appear. Unknown fields are ignored and unknown message types
 * kept with their type; changes of other fields (group updates, template status, ...) are skipped. A message or
 * status without what identifies it (id, sender, status) is left out and named in {@link Parsed#problems()} by
 * position only: never by content, which is PHI.
 */
public final class WebhookPayload {

    /** One thing a delivery reports. */
    public sealed interface Item permits Message, Status {
        /** The wamid the item is about (never PHI). */
        String wamid();
    }

    /** A message a patient sent. */
    public record Message(InboundMessage message) implements Item {
        @Override
        public String wamid() {
            return message.wamid();
        }
    }

    /** A status of a message we sent. */
    public record Status(DeliveryStatuses.Update update) implements Item {
        @Override
        public String wamid() {
            return update.wamid();
        }
    }

    /** What a delivery holds, and what in it could not be used (by position, e.g. "entry[0].changes[1].messages[2]: no id"). */
    public record Parsed(List<Item> items, List<String> problems) {
    }

    /** The body is not JSON; the message names only the position, never content. */
    public static final class MalformedPayloadException extends Exception {
        MalformedPayloadException(String message) {
            super(message, null, false, false);
        }
    }

    /** Longest wamid that fits inbound_reply and message_status. */
    static final int MAX_WAMID = 200;
    /** E.164 numbers have at most 15 digits; leave room, but not for junk. */
    private static final int MAX_PHONE_DIGITS = 20;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private WebhookPayload() {
    }

    public static Parsed parse(String body) throws MalformedPayloadException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            // Jackson's message may quote what it read (PHI): keep only where it stopped.
            JsonLocation at = e.getLocation();
            throw new MalformedPayloadException("malformed JSON" + (at == null ? ""
                    : " at line " + at.getLineNr() + " column " + at.getColumnNr()));
        }
        if (root == null || root.isMissingNode()) {
            throw new MalformedPayloadException("empty body");
        }
        List<Item> items = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!root.isObject()) {
            problems.add("not a JSON object");
            return new Parsed(items, problems);
        }
        JsonNode entries = root.path("entry");
        for (int e = 0; e < entries.size(); e++) {
            JsonNode changes = entries.path(e).path("changes");
            for (int ch = 0; ch < changes.size(); ch++) {
                JsonNode change = changes.path(ch);
                String field = text(change.path("field"));
                if (field != null && !"messages".equals(field)) {
                    continue;
                }
                String where = "entry[" + e + "].changes[" + ch + "]";
                JsonNode value = change.path("value");
                JsonNode messages = value.path("messages");
                for (int m = 0; m < messages.size(); m++) {
                    message(messages.path(m), where + ".messages[" + m + "]", items, problems);
                }
                JsonNode statuses = value.path("statuses");
                for (int s = 0; s < statuses.size(); s++) {
                    status(statuses.path(s), where + ".statuses[" + s + "]", items, problems);
                }
            }
        }
        return new Parsed(List.copyOf(items), List.copyOf(problems));
    }

    private static void message(JsonNode m, String where, List<Item> items, List<String> problems) {
        String wamid = text(m.path("id"));
        if (wamid == null || wamid.length() > MAX_WAMID) {
            problems.add(where + ": no usable id");
            return;
        }
        String digits = digits(text(m.path("from")));
        if (digits.isEmpty() || digits.length() > MAX_PHONE_DIGITS) {
            problems.add(where + ": no usable sender");
            return;
        }
        String type = text(m.path("type"));
        type = type == null ? "unknown" : type.toLowerCase(Locale.ROOT);
        String context = text(m.path("context").path("id"));
        String text = null;
        String payload = null;
        Double latitude = null;
        Double longitude = null;
        switch (type) {
            case "text" -> text = text(m.path("text").path("body"));
            case "button" -> {
                text = text(m.path("button").path("text"));
                payload = text(m.path("button").path("payload"));
            }
            case "interactive" -> {
                JsonNode interactive = m.path("interactive");
                String kind = text(interactive.path("type"));
                if ("button_reply".equals(kind) || "list_reply".equals(kind)) {
                    text = text(interactive.path(kind).path("title"));
                    payload = text(interactive.path(kind).path("id"));
                }
            }
            case "location" -> {
                JsonNode location = m.path("location");
                latitude = number(location.path("latitude"));
                longitude = number(location.path("longitude"));
                text = join(text(location.path("name")), text(location.path("address")));
            }
            case "reaction" -> {
                text = text(m.path("reaction").path("emoji"));
                if (context == null) {
                    // The message reacted to is what a reaction answers.
                    context = text(m.path("reaction").path("message_id"));
                }
            }
            default -> {
                // image, document, audio, video, sticker, contacts, order, system, unsupported and types to come:
                // kept with their type, nothing read from them.
            }
        }
        if (context != null && context.length() > MAX_WAMID) {
            context = null;
        }
        items.add(new Message(new InboundMessage(wamid, "+" + digits, epochSeconds(m.path("timestamp")), type, text,
                payload, context, latitude, longitude)));
    }

    private static void status(JsonNode s, String where, List<Item> items, List<String> problems) {
        String wamid = text(s.path("id"));
        if (wamid == null || wamid.length() > MAX_WAMID) {
            problems.add(where + ": no usable id");
            return;
        }
        String status = text(s.path("status"));
        if (status == null) {
            problems.add(where + ": no status");
            return;
        }
        JsonNode error = s.path("errors").path(0);
        Integer code = integer(error.path("code"));
        String title = text(error.path("title"));
        if (title == null) {
            title = text(error.path("message"));
        }
        items.add(new Status(new DeliveryStatuses.Update(wamid, status.toLowerCase(Locale.ROOT),
                epochSeconds(s.path("timestamp")), code, title)));
    }

    /** A string or number value as text, or null when absent, blank or not a scalar. */
    private static String text(JsonNode node) {
        if (node == null || !node.isValueNode() || node.isNull()) {
            return null;
        }
        String v = node.asText();
        return v.isBlank() ? null : v;
    }

    private static String digits(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= '0' && ch <= '9') {
                b.append(ch);
            }
        }
        return b.toString();
    }

    private static Double number(JsonNode node) {
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            try {
                double v = Double.parseDouble(node.textValue().trim());
                return Double.isFinite(v) ? v : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Integer integer(JsonNode node) {
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        if (node.isTextual()) {
            try {
                return Integer.valueOf(node.textValue().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** Meta's timestamps: Unix seconds, as a string (or a number). */
    private static Instant epochSeconds(JsonNode node) {
        String v = text(node);
        if (v == null) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(v.trim()));
        } catch (NumberFormatException | DateTimeException e) {
            return null;
        }
    }

    private static String join(String a, String b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a + ", " + b;
    }
}
