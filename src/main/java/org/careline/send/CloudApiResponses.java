package org.careline.send;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns a Cloud API response (status + body) into what the outbox should do next. */
public final class CloudApiResponses {

    /** Reasons are stored with the outbox row and shown to operators; keep them short. */
    static final int MAX_REASON_LENGTH = 500;

    /** Every further send from this phone number would fail the same way. */
    static final Set<Integer> PAUSE_CODES = Set.of(
            190,    // access token expired or invalid
            104,    // access token missing: a misconfiguration, not a fault of the message
            368);   // temporarily blocked for policy violations

    /** Meta-side or rate-limit conditions that clear by themselves. */
    static final Set<Integer> RETRYABLE_CODES = Set.of(
            130429, // throughput rate limit for the phone number reached
            131056, // pair rate limit: too many messages to the same recipient in a short time
            131000, // "something went wrong" (unknown error)
            1,      // API unknown error
            2,      // API service temporarily unavailable
            4,      // application request limit reached
            80007,  // WhatsApp Business Account rate limit reached
            131057); // business account in maintenance mode

    /** Retrying the same message cannot help. */
    static final Set<Integer> PERMANENT_CODES = Set.of(
            131026, // message undeliverable (not a WhatsApp user, outdated app, terms not accepted)
            131047, // re-engagement window: more than 24h since the user last wrote
            132000, // template parameter count does not match the template
            132001, // template does not exist (in this name/language)
            100,    // invalid parameter
            131008, // required parameter missing
            131009, // parameter value invalid
            131051, // unsupported message type
            133010, // phone number not registered on the Cloud API
            131030); // recipient not in the allowed list (test numbers)

    private static final ObjectMapper JSON = new ObjectMapper();
    // 8+ digits, possibly split by spaces, dots, dashes or parentheses ("+1 (650) 555-1234"): a phone number,
    // which must not reach logs or the database through a reason.
    private static final Pattern PHONE_LIKE = Pattern.compile("\\+?\\d(?:[ ().-]{0,2}\\d){7,}");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private CloudApiResponses() {
    }

    /**
     * Classifies a response to a send.
     *
     * @param httpStatus the HTTP status
     * @param body       the response body; may be null, empty or not JSON (e.g. a proxy's HTML error page)
     */
    public static CloudApiOutcome classify(int httpStatus, String body) {
        return classify(httpStatus, body, null);
    }

    /**
     * Classifies a response to a send that may carry a Retry-After header: a retryable outcome keeps the delay it
     * asks for, so the retry does not come back sooner than Meta (or a proxy in front of it) said to.
     *
     * @param retryAfter the header's value, or null
     */
    public static CloudApiOutcome classify(int httpStatus, String body, Duration retryAfter) {
        CloudApiOutcome outcome = classifyBody(httpStatus, body);
        if (retryAfter != null && outcome instanceof CloudApiOutcome.Retryable r) {
            return new CloudApiOutcome.Retryable(r.httpStatus(), r.errorCode(), r.reason(), retryAfter);
        }
        return outcome;
    }

    /**
     * A Retry-After header as a delay from {@code now}: delta-seconds ("2") or an HTTP date; a date already past is
     * zero. Null when absent or unreadable (the normal backoff applies then).
     */
    public static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String v = header.trim();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(v));
            } catch (NumberFormatException tooLong) {
                return null;
            }
        }
        try {
            Duration until = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException notADate) {
            return null;
        }
    }

    private static CloudApiOutcome classifyBody(int httpStatus, String body) {
        JsonNode json = parse(body);
        if (httpStatus >= 200 && httpStatus < 300) {
            String wamid = json.path("messages").path(0).path("id").asText("");
            if (!wamid.isBlank()) {
                return new CloudApiOutcome.Sent(wamid);
            }
            // Without an id no status webhook can ever be matched to this message; treat as failed, not sent.
            return new CloudApiOutcome.Permanent(httpStatus, null,
                    reason("HTTP " + httpStatus + " without a message id: " + describe(json, body)));
        }

        JsonNode error = json.path("error");
        Integer code = code(error.path("code"));
        String reason = reason((code != null ? code.toString() : "HTTP " + httpStatus) + ": " + describe(json, body));
        // Any 401 is about our credentials, never the message: pause rather than fail the whole queue.
        if (code != null && PAUSE_CODES.contains(code) || httpStatus == 401) {
            return new CloudApiOutcome.PauseSending(httpStatus, code, reason);
        }
        if (code != null && RETRYABLE_CODES.contains(code)) {
            return new CloudApiOutcome.Retryable(httpStatus, code, reason);
        }
        if (code != null && PERMANENT_CODES.contains(code)) {
            return new CloudApiOutcome.Permanent(httpStatus, code, reason);
        }
        if (httpStatus >= 400 && httpStatus < 500 && httpStatus != 429) {
            return new CloudApiOutcome.Permanent(httpStatus, code, reason);
        }
        // 429, 5xx, and statuses Graph never sends (1xx/3xx, most likely from a proxy): try again later.
        return new CloudApiOutcome.Retryable(httpStatus, code, reason);
    }

    /**
     * Classifies a response to a media upload ({@code POST /{version}/{phone-number-id}/media}): a 2xx with an
     * {@code id} is {@link CloudApiOutcome.Uploaded}; errors follow the same rules as for a send.
     */
    public static CloudApiOutcome classifyUpload(int httpStatus, String body) {
        return classifyUpload(httpStatus, body, null);
    }

    /** As {@link #classifyUpload(int, String)}, keeping a Retry-After delay as {@link #classify(int, String, Duration)}. */
    public static CloudApiOutcome classifyUpload(int httpStatus, String body, Duration retryAfter) {
        if (httpStatus >= 200 && httpStatus < 300) {
            JsonNode json = parse(body);
            String id = json.path("id").asText("");
            if (!id.isBlank()) {
                return new CloudApiOutcome.Uploaded(id);
            }
            return new CloudApiOutcome.Permanent(httpStatus, null,
                    reason("media upload: HTTP " + httpStatus + " without a media id: " + describe(json, body)));
        }
        return classify(httpStatus, body, retryAfter);
    }

    /**
     * What a {@code failed} status webhook means for its message, by the error code Meta gave: the same as a send
     * answered with that code (pause, retry, dead letter). A code in none of the sets, or none at all, is permanent:
     * the message may have reached the phone, and a guess must not send it twice.
     *
     * @param reason the stored reason, made with {@link #reason(String)}
     */
    public static CloudApiOutcome classifyFailedStatus(Integer code, String reason) {
        if (code != null && PAUSE_CODES.contains(code)) {
            return new CloudApiOutcome.PauseSending(0, code, reason);
        }
        if (code != null && RETRYABLE_CODES.contains(code)) {
            return new CloudApiOutcome.Retryable(0, code, reason);
        }
        return new CloudApiOutcome.Permanent(0, code, reason);
    }

    /** The outcome when no response arrived in time; the send may or may not have happened. */
    public static CloudApiOutcome timeout(String reason) {
        return new CloudApiOutcome.Retryable(0, null, reason(reason == null ? "timeout" : reason));
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(body);
        } catch (JacksonException notJson) {
            return JSON.missingNode();
        }
    }

    private static Integer code(JsonNode node) {
        if (node.canConvertToInt()) {
            return node.intValue();
        }
        if (node.isTextual()) {
            try {
                return Integer.valueOf(node.textValue().trim());
            } catch (NumberFormatException notNumeric) {
                return null;
            }
        }
        return null;
    }

    /** Title/message of a Graph error plus its details, or a prefix of a body that is not one. */
    private static String describe(JsonNode json, String body) {
        JsonNode error = json.path("error");
        if (error.isObject()) {
            String title = firstText(error, "error_user_title", "title", "message");
            String details = firstText(error.path("error_data"), "details");
            if (details.isEmpty()) {
                details = firstText(error, "error_user_msg");
            }
            if (title.isEmpty()) {
                return details.isEmpty() ? "Graph error without message" : details;
            }
            return details.isEmpty() || details.equals(title) ? title : title + " — " + details;
        }
        if (body == null || body.isBlank()) {
            return "empty body";
        }
        return json.isMissingNode() ? "non-JSON body: " + body : "unexpected body: " + body;
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            JsonNode value = node.path(field);
            if (value.isValueNode() && !value.asText().isBlank()) {
                return value.asText().trim();
            }
        }
        return "";
    }

    /** Single-line, phone numbers masked, at most 500 characters (masking first, so no partial number survives). */
    static String reason(String text) {
        String masked = PHONE_LIKE.matcher(WHITESPACE.matcher(text).replaceAll(" ")).replaceAll("…");
        return masked.length() <= MAX_REASON_LENGTH ? masked : masked.substring(0, MAX_REASON_LENGTH - 1) + "…";
    }
}
