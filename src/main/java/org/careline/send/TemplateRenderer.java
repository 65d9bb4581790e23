package org.careline.send;

import org.careline.model.TemplateSpec;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.regex.Pattern;

/** Builds the Cloud API request body ({@code POST /{version}/{phone-number-id}/messages}) for a template send. */
public class TemplateRenderer {

    /** Meta rejects text parameters longer than this. */
    static final int MAX_PARAMETER_LENGTH = 1024;

    /** Meta rejects empty text parameters, so an absent value is shown as this. */
    static final String EMPTY_PARAMETER = "-";
    /** The variable holding the appointment's id, for button payloads only (never shown to the patient). */
    public static final String APPOINTMENT_ID = "appointment_id";

    // Meta rejects parameters with newlines/tabs or more than a few consecutive spaces (error 132018).
    private static final Pattern BREAKING_WHITESPACE =
            Pattern.compile("[ \\t\\n\\x0B\\f\\r\\u0085\\u2028\\u2029]*[\\t\\n\\x0B\\f\\r\\u0085\\u2028\\u2029][ \\t\\n\\x0B\\f\\r\\u0085\\u2028\\u2029]*");
    private static final Pattern LONG_SPACE_RUN = Pattern.compile(" {4,}");
    // E.164: '+', country code and subscriber number, at most 15 digits. The '+' is required so that a national
    // number ("600123456") can never be sent as if it were international.
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    private final JsonNodeFactory json = JsonNodeFactory.instance;

    /**
     * The template message for one recipient.
     *
     * @param toE164          recipient in E.164 ("+34600123456"); sent as the digits without '+'
     * @param patientLanguage the patient's language (ISO 639-1/2, possibly with a region), may be null
     * @param variables       values for {@link TemplateSpec#bodyParameters()}; a missing or null value renders as "-"
     * @throws IllegalArgumentException if {@code toE164} is not an E.164 number (the message does not repeat it)
     */
    public ObjectNode render(TemplateSpec spec, String toE164, String patientLanguage, Map<String, String> variables) {
        return render(spec, toE164, patientLanguage, variables, null);
    }

    /** An uploaded document sent as the template's header: the Cloud API media id and the file name shown. */
    public record DocumentHeader(String mediaId, String filename) {
    }

    /**
     * As {@link #render(TemplateSpec, String, String, Map)}, with a header component carrying {@code document}
     * (a template approved with a DOCUMENT header) before the body; null: no header component.
     */
    public ObjectNode render(TemplateSpec spec, String toE164, String patientLanguage, Map<String, String> variables,
                             DocumentHeader document) {
        ObjectNode message = envelope(toE164, "template");

        ObjectNode template = message.putObject("template");
        template.put("name", spec.name());
        template.putObject("language").put("code", spec.languageCodeFor(patientLanguage));
        if (document != null) {
            ObjectNode header = template.putArray("components").addObject();
            header.put("type", "header");
            ObjectNode parameter = header.putArray("parameters").addObject();
            parameter.put("type", "document");
            ObjectNode doc = parameter.putObject("document");
            doc.put("id", document.mediaId());
            doc.put("filename", document.filename());
        }
        if (!spec.bodyParameters().isEmpty()) {
            ArrayNode components = template.has("components") ? (ArrayNode) template.get("components")
                    : template.putArray("components");
            ObjectNode body = components.addObject();
            body.put("type", "body");
            ArrayNode parameters = body.putArray("parameters");
            for (String variable : spec.bodyParameters()) {
                String value = variables == null ? null : variables.get(variable);
                parameters.addObject().put("type", "text").put("text", sanitize(value));
            }
        }
        // Quick-reply payloads name the appointment, so a button press is tied to it even without its context.
        String appointment = variables == null ? null : variables.get(APPOINTMENT_ID);
        for (int i = 0; i < spec.buttons().size(); i++) {
            ArrayNode components = template.has("components") ? (ArrayNode) template.get("components")
                    : template.putArray("components");
            ObjectNode button = components.addObject();
            button.put("type", "button").put("sub_type", "quick_reply").put("index", String.valueOf(i));
            String word = spec.buttons().get(i);
            button.putArray("parameters").addObject().put("type", "payload")
                    .put("payload", appointment == null ? word : word + ":" + appointment);
        }
        return message;
    }

    /**
     * The part every Cloud API message shares: product, recipient (E.164 digits without '+') and type.
     *
     * @throws IllegalArgumentException if {@code toE164} is not an E.164 number (the message does not repeat it)
     */
    static ObjectNode envelope(String toE164, String type) {
        if (toE164 == null || !E164.matcher(toE164).matches()) {
            throw new IllegalArgumentException("recipient is not an E.164 number");
        }
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("messaging_product", "whatsapp");
        message.put("recipient_type", "individual");
        message.put("to", toE164.substring(1));
        message.put("type", type);
        return message;
    }

    /**
     * A value Meta accepts as a text parameter: line breaks/tabs (with surrounding whitespace) and runs of 4+
     * spaces become one space, the result is trimmed and cut to 1024 characters, and null/blank becomes "-".
     */
    public static String sanitize(String value) {
        if (value == null) {
            return EMPTY_PARAMETER;
        }
        String text = BREAKING_WHITESPACE.matcher(value).replaceAll(" ");
        text = LONG_SPACE_RUN.matcher(text).replaceAll(" ").trim();
        if (text.length() > MAX_PARAMETER_LENGTH) {
            int end = MAX_PARAMETER_LENGTH;
            if (Character.isHighSurrogate(text.charAt(end - 1))) {
                end--; // do not split a surrogate pair (emoji) in half
            }
            text = text.substring(0, end).trim();
        }
        return text.isEmpty() ? EMPTY_PARAMETER : text;
    }
}
