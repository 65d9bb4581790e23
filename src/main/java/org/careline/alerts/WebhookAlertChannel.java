package org.careline.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Tells of an alert with a JSON POST ({@link AlertMessage}, field for field), signed so the receiver can tell it
 * came from us: {@code X-Careline-Signature-256: sha256=<hex HMAC-SHA256 of the exact body bytes>} under the
 * channel's secret, and {@code X-Careline-Alert-Id} so a receiver can drop a repeat (a delivery whose engine died
 * mid-send is sent again).
 *
 * <p>java.net.http.HttpClient rather than camel-http: the body is signed and sent as the very same bytes, no
 * exchange headers can leak into the request, the status is read as a number for {@link #outcomeOf}, and the
 * timeouts are this channel's own, short ones.
 */
public final class WebhookAlertChannel implements AlertChannel {

    public static final String SIGNATURE_HEADER = "X-Careline-Signature-256";
    public static final String ALERT_ID_HEADER = "X-Careline-Alert-Id";
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final String name;
    private final URI url;
    private final byte[] secret;
    private final HttpClient http;

    public WebhookAlertChannel(String name, String url, String secret, HttpClient http) {
        this.name = name;
        this.url = URI.create(url);
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.http = http;
    }

    /** The client the webhook channels share: short connect timeout, redirects not followed (see outcomeOf). */
    public static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DeliveryOutcome send(AlertMessage message) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(message);
        } catch (IOException e) {
            return new DeliveryOutcome.Refused("could not be written as JSON: " + e.getClass().getSimpleName());
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8")
                .header(SIGNATURE_HEADER, "sha256=" + sign(secret, body))
                .header(ALERT_ID_HEADER, String.valueOf(message.id()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new DeliveryOutcome.Retry(e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DeliveryOutcome.Retry("interrupted", null);
        }
        return outcomeOf(response.statusCode(), answer(response.body()),
                response.headers().firstValue("Retry-After").map(WebhookAlertChannel::seconds).orElse(null));
    }

    /**
     * What a receiver's status means: 2xx taken; 408, 429 and 5xx a receiver down or busy (retried); anything else
     * — another 4xx, or a redirect, which is not followed since the signed POST belongs to the configured URL —
     * refused for good.
     */
    static DeliveryOutcome outcomeOf(int status, String answer, Duration retryAfter) {
        String reason = "HTTP " + status + (answer.isEmpty() ? "" : ": " + answer);
        if (status >= 200 && status < 300) {
            return new DeliveryOutcome.Delivered();
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new DeliveryOutcome.Retry(reason, retryAfter);
        }
        return new DeliveryOutcome.Refused(reason);
    }

    /** Hex HMAC-SHA256 of {@code body} under {@code secret}: what receivers recompute over the bytes they got. */
    public static String sign(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The start of the receiver's answer, on one line, to say why it refused. */
    private static String answer(String body) {
        if (body == null) {
            return "";
        }
        String line = body.replaceAll("\\s+", " ").trim();
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    private static Duration seconds(String value) {
        try {
            long s = Long.parseLong(value.trim());
            return s > 0 ? Duration.ofSeconds(s) : null;
        } catch (NumberFormatException e) {
            return null; // an HTTP date: our own backoff will do
        }
    }

    @Override
    public String toString() {
        return "webhook " + name + " " + url;
    }
}
