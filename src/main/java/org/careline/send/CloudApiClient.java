package org.careline.send;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.careline.RouteCall;

import java.util.function.Supplier;

/**
 * Posts one message to the Cloud API through the "cloud-api" route (routes/cloud-api.yaml, camel-http) and
 * classifies the answer. Transport failures (timeouts, refused connections) are retryable.
 */
public final class CloudApiClient {

    public static final String ENDPOINT = "direct:cloud-api";

    private final RouteCall route;

    public CloudApiClient(Supplier<CamelContext> context) {
        this.route = new RouteCall(context, ENDPOINT);
    }

    public CloudApiOutcome send(ObjectNode message) {
        Exchange reply = route.request(message.toString());
        // Transport failures are caught in the route (one log line there) and handed back here as the caught one.
        Exception failure = reply.getException() != null ? reply.getException()
                : reply.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (failure != null) {
            // Never the message text: only what kind of transport failure it was.
            return CloudApiResponses.timeout("transport: " + failure.getClass().getSimpleName());
        }
        Integer status = reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String body = reply.getMessage().getBody(String.class);
        return CloudApiResponses.classify(status == null ? 0 : status, body);
    }
}
