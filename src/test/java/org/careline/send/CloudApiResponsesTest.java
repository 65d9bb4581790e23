package org.careline.send;

import org.careline.send.CloudApiOutcome.PauseSending;
import org.careline.send.CloudApiOutcome.Permanent;
import org.careline.send.CloudApiOutcome.Retryable;
import org.careline.send.CloudApiOutcome.Sent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class CloudApiResponsesTest {

    private static String graphError(int code, String message) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"OAuthException\",\"code\":" + code
                + ",\"error_subcode\":2494010,\"fbtrace_id\":\"AbCdEf123\"}}";
    }

    @Test
    void successWithMessageIdIsSent() {
        String body = "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"+16505551234\","
                + "\"wa_id\":\"16505551234\"}],\"messages\":[{\"id\":\"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJCOTY3\","
                + "\"message_status\":\"accepted\"}]}";
        assertThat(CloudApiResponses.classify(200, body)).isEqualTo(new Sent("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJCOTY3"));
        assertThat(CloudApiResponses.classify(201, body)).isInstanceOf(Sent.class);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"{}", "{\"messages\":[]}", "{\"messages\":[{\"id\":\"\"}]}", "<html>ok</html>", "[]"})
    void successWithoutMessageIdIsPermanent(String body) {
        CloudApiOutcome outcome = CloudApiResponses.classify(200, body);
        assertThat(outcome).isInstanceOf(Permanent.class);
        assertThat(((Permanent) outcome).reason()).contains("without a message id");
        assertThat(((Permanent) outcome).httpStatus()).isEqualTo(200);
    }

    @ParameterizedTest(name = "HTTP {0}, code {1} -> {2}")
    @CsvSource({
            // pause: every further send from this number would fail too
            "401, 190,    PauseSending",
            "400, 368,    PauseSending",
            "500, 190,    PauseSending",
            // retryable by code, whatever the status
            "429, 130429, Retryable",
            "400, 131056, Retryable",
            "500, 131000, Retryable",
            "400, 131000, Retryable",
            "500, 1,      Retryable",
            "503, 2,      Retryable",
            "400, 4,      Retryable",
            "429, 80007,  Retryable",
            "400, 131057, Retryable",
            // permanent by code, even on 429/5xx
            "400, 131026, Permanent",
            "400, 131047, Permanent",
            "404, 132000, Permanent",
            "400, 132001, Permanent",
            "400, 100,    Permanent",
            "400, 131008, Permanent",
            "400, 131009, Permanent",
            "400, 131051, Permanent",
            "400, 133010, Permanent",
            "400, 131030, Permanent",
            "500, 131026, Permanent",
            "429, 132001, Permanent",
            // unknown codes fall back to the status
            "400, 999999, Permanent",
            "403, 200,    Permanent",
            "401, 104,    PauseSending",
            "429, 17,     Retryable",
            "500, 999999, Retryable",
            "502, 999999, Retryable"})
    void classifiesGraphErrors(int status, int code, String expected) {
        CloudApiOutcome outcome = CloudApiResponses.classify(status, graphError(code, "(#" + code + ") Something"));
        assertThat(outcome.getClass().getSimpleName()).isEqualTo(expected);
        assertThat(codeOf(outcome)).isEqualTo(code);
        assertThat(statusOf(outcome)).isEqualTo(status);
    }

    @ParameterizedTest(name = "HTTP {0}, body {1} -> {2}")
    @CsvSource(nullValues = "NULL", value = {
            "500, NULL,                         Retryable",
            "503, '',                           Retryable",
            "502, '<html>Bad Gateway</html>',   Retryable",
            "429, 'slow down',                  Retryable",
            "400, NULL,                         Permanent",
            "404, '<html>Not Found</html>',     Permanent",
            "400, '{\"error\":\"bad\"}',        Permanent",
            "302, '',                           Retryable"})
    void classifiesResponsesWithoutGraphErrorByStatus(int status, String body, String expected) {
        CloudApiOutcome outcome = CloudApiResponses.classify(status, body);
        assertThat(outcome.getClass().getSimpleName()).isEqualTo(expected);
        assertThat(codeOf(outcome)).isNull();
    }

    @Test
    void textualCodeIsUnderstood() {
        assertThat(CloudApiResponses.classify(400, "{\"error\":{\"message\":\"x\",\"code\":\"190\"}}"))
                .isInstanceOf(PauseSending.class);
    }

    @Test
    void reasonHasCodeTitleAndDetails() {
        String body = "{\"error\":{\"message\":\"(#131047) Re-engagement message\",\"type\":\"OAuthException\","
                + "\"code\":131047,\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"Message failed"
                + " to send because more than 24 hours have passed since the customer last replied.\"},"
                + "\"error_subcode\":2494010,\"fbtrace_id\":\"Az8or2yhqkZfEZ-_4Qn_Bam\"}}";
        Permanent outcome = (Permanent) CloudApiResponses.classify(400, body);
        assertThat(outcome.reason()).isEqualTo("131047: (#131047) Re-engagement message — Message failed to send"
                + " because more than 24 hours have passed since the customer last replied.");
        assertThat(outcome.reason()).doesNotContain("fbtrace");
    }

    @Test
    void reasonPrefersUserTitle() {
        String body = "{\"error\":{\"message\":\"(#132001) Template name does not exist in the translation\","
                + "\"error_user_title\":\"Template not found\",\"code\":132001}}";
        assertThat(((Permanent) CloudApiResponses.classify(404, body)).reason())
                .startsWith("132001: Template not found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"16505551234", "+16505551234", "+1 650 555 1234", "+1 (650) 555-1234", "650.555.12.34",
            "346001234567890"})
    void reasonNeverCarriesAPhoneNumber(String phone) {
        String body = "{\"error\":{\"message\":\"Recipient " + phone + " is not a valid WhatsApp user\",\"code\":131026,"
                + "\"error_data\":{\"details\":\"to=" + phone + "\"}}}";
        Permanent outcome = (Permanent) CloudApiResponses.classify(400, body);
        assertThat(outcome.reason()).startsWith("131026: Recipient … is not a valid WhatsApp user");
        assertThat(outcome.reason()).doesNotContain(phone.replaceAll("\\D", "").substring(0, 7))
                .doesNotContainPattern("\\d{7}");
    }

    @Test
    void phoneNumbersInNonJsonBodiesAreMaskedToo() {
        Retryable outcome = (Retryable) CloudApiResponses.classify(502, "<html>\n upstream for 34600123456\n</html>");
        assertThat(outcome.reason()).isEqualTo("HTTP 502: non-JSON body: <html> upstream for … </html>");
    }

    @Test
    void reasonIsCappedAt500AfterMasking() {
        String longMessage = "x".repeat(495) + " 16505551234 " + "y".repeat(1000);
        Permanent outcome = (Permanent) CloudApiResponses.classify(400, graphError(100, longMessage));
        assertThat(outcome.reason()).hasSizeLessThanOrEqualTo(500).endsWith("…").doesNotContainPattern("\\d{4}");
    }

    @Test
    void timeoutIsRetryableWithStatusZero() {
        assertThat(CloudApiResponses.timeout("read timed out after 10s"))
                .isEqualTo(new Retryable(0, null, "read timed out after 10s"));
        assertThat(((Retryable) CloudApiResponses.timeout("connect to 10.0.0.1 for +34600123456 timed out")).reason())
                .isEqualTo("connect to 10.0.0.1 for … timed out");
        assertThat(((Retryable) CloudApiResponses.timeout(null)).reason()).isEqualTo("timeout");
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        java.time.Instant now = java.time.Instant.parse("2026-03-01T10:00:00Z");
        assertThat(CloudApiResponses.retryAfter("2", now)).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(CloudApiResponses.retryAfter(" 120 ", now)).isEqualTo(java.time.Duration.ofSeconds(120));
        assertThat(CloudApiResponses.retryAfter("Sun, 01 Mar 2026 10:00:30 GMT", now))
                .isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(CloudApiResponses.retryAfter("Sun, 01 Mar 2026 09:00:00 GMT", now)).isEqualTo(java.time.Duration.ZERO);
        assertThat(CloudApiResponses.retryAfter("soon", now)).isNull();
        assertThat(CloudApiResponses.retryAfter(null, now)).isNull();
    }

    @Test
    void aRetryableAnswerKeepsItsRetryAfterAndOthersIgnoreIt() {
        java.time.Duration two = java.time.Duration.ofSeconds(2);
        Retryable limited = (Retryable) CloudApiResponses.classify(429, graphError(130429, "Rate limit hit"), two);
        assertThat(limited.errorCode()).isEqualTo(130429);
        assertThat(limited.retryAfter()).isEqualTo(two);
        assertThat(((Retryable) CloudApiResponses.classify(503, "", null)).retryAfter()).isNull();
        assertThat(CloudApiResponses.classify(400, graphError(131026, "Message undeliverable"), two))
                .isInstanceOf(Permanent.class);
    }

    @Test
    void codeSetsDoNotOverlap() {
        assertThat(CloudApiResponses.PAUSE_CODES).doesNotContainAnyElementsOf(CloudApiResponses.RETRYABLE_CODES)
                .doesNotContainAnyElementsOf(CloudApiResponses.PERMANENT_CODES);
        assertThat(CloudApiResponses.RETRYABLE_CODES).doesNotContainAnyElementsOf(CloudApiResponses.PERMANENT_CODES);
    }

    static Integer codeOf(CloudApiOutcome outcome) {
        if (outcome instanceof Retryable r) {
            return r.errorCode();
        } else if (outcome instanceof Permanent p) {
            return p.errorCode();
        } else if (outcome instanceof PauseSending p) {
            return p.errorCode();
        }
        return null;
    }

    static int statusOf(CloudApiOutcome outcome) {
        if (outcome instanceof Retryable r) {
            return r.httpStatus();
        } else if (outcome instanceof Permanent p) {
            return p.httpStatus();
        } else if (outcome instanceof PauseSending p) {
            return p.httpStatus();
        }
        return 200;
    }

    static String reasonOf(CloudApiOutcome outcome) {
        if (outcome instanceof Retryable r) {
            return r.reason();
        } else if (outcome instanceof Permanent p) {
            return p.reason();
        } else if (outcome instanceof PauseSending p) {
            return p.reason();
        }
        return null;
    }
}
