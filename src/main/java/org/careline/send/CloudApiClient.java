package org.careline.send;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.careline.routes.RouteCall;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Posts one message to the Cloud API through the "cloud-api" route (routes/cloud-api.yaml, camel-http) and
 * classifies the answer. Transport failures (timeouts, refused connections) are retryable.
 */
public final class CloudApiClient {

    public static final String ENDPOINT = "direct:cloud-api";
    /** The media upload route: POST {base}/{version}/{phone-number-id}/media, multipart/form-data. */
    public static final String MEDIA_ENDPOINT = "direct:cloud-api-media";

    private final RouteCall route;
    private final RouteCall mediaRoute;

    public CloudApiClient(Supplier<CamelContext> context) {
        this.route = new RouteCall(context, ENDPOINT);
        this.mediaRoute = new RouteCall(context, MEDIA_ENDPOINT);
    }

    public CloudApiOutcome send(ObjectNode message) {
        return classified(route.request(message.toString()), false);
    }

    /**
     * Uploads a file for use in a message (a template's document header): the multipart form Meta expects
     * (messaging_product=whatsapp, type, file with its name and content type). {@link CloudApiOutcome.Uploaded}
     * carries the media id; failures are classified as for a send.
     */
    public CloudApiOutcome uploadMedia(byte[] file, String filename, String contentType) {
        HttpEntity form = MultipartEntityBuilder.create()
                .setMode(HttpMultipartMode.STRICT)
                .addTextBody("messaging_product", "whatsapp")
                .addTextBody("type", contentType)
                .addBinaryBody("file", file, ContentType.create(contentType), filename)
                .build();
        return classified(mediaRoute.request(form), true);
    }

    private static CloudApiOutcome classified(Exchange reply, boolean upload) {
        // Transport failures are caught in the route (one log line there) and handed back here as the caught one.
        Exception failure = reply.getException() != null ? reply.getException()
                : reply.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (failure != null) {
            // Never the message text: only what kind of transport failure it was.
            return CloudApiResponses.timeout("transport: " + failure.getClass().getSimpleName());
        }
        Integer status = reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String body = reply.getMessage().getBody(String.class);
        // camel-http copies the response's headers onto the message (Camel's header names ignore case).
        Duration retryAfter = CloudApiResponses.retryAfter(
                reply.getMessage().getHeader("Retry-After", String.class), Instant.now());
        return upload ? CloudApiResponses.classifyUpload(status == null ? 0 : status, body, retryAfter)
                : CloudApiResponses.classify(status == null ? 0 : status, body, retryAfter);
    }
}
