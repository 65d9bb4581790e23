package org.careline.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.careline.model.MessageContext;
import org.careline.model.MessageKind;

/**
 * Free-form Cloud API messages (allowed only inside the 24-hour window a patient's message opened): a text, or a
 * location pin. Location bodies are stored in the outbox as JSON {latitude, longitude, name, address}.
 */
public final class ReplyRenderer {

    /** Meta's limit for a text message body. */
    static final int MAX_TEXT = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A reply as its kind says: a location pin, else a text. */
    public ObjectNode render(String toE164, MessageKind kind, MessageContext.Reply reply) {
        return kind == MessageKind.LOCATION ? location(toE164, reply.body()) : text(toE164, reply.body());
    }

    public ObjectNode text(String toE164, String body) {
        ObjectNode message = TemplateRenderer.envelope(toE164, "text");
        String text = body == null || body.isBlank() ? "-" : body.strip();
        message.putObject("text").put("preview_url", false)
                .put("body", text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text);
        return message;
    }

    public ObjectNode location(String toE164, String storedLocation) {
        JsonNode stored;
        try {
            stored = JSON.readTree(storedLocation);
        } catch (Exception e) {
            throw new IllegalArgumentException("stored location is not JSON");
        }
        if (!stored.path("latitude").isNumber() || !stored.path("longitude").isNumber()) {
            throw new IllegalArgumentException("stored location lacks latitude/longitude");
        }
        ObjectNode message = TemplateRenderer.envelope(toE164, "location");
        ObjectNode location = message.putObject("location");
        location.put("latitude", stored.path("latitude").asDouble());
        location.put("longitude", stored.path("longitude").asDouble());
        if (stored.hasNonNull("name")) {
            location.put("name", stored.path("name").asText());
        }
        if (stored.hasNonNull("address")) {
            location.put("address", stored.path("address").asText());
        }
        return message;
    }

    /** The outbox body for a location pin. */
    public static String locationBody(double latitude, double longitude, String name, String address) {
        ObjectNode n = JSON.createObjectNode();
        n.put("latitude", latitude).put("longitude", longitude).put("name", name).put("address", address);
        return n.toString();
    }
}
