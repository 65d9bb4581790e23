package org.careline.writeback;

import org.apache.camel.CamelContext;
import org.careline.routes.RouteCall;

import java.util.function.Supplier;

/**
 * Sends one message to the scheduling system through the "scheduling" route (routes/writeback.yaml, a camel-mllp
 * producer) and says what the answer was.
 */
public final class SchedulingLink {

    public static final String ENDPOINT = "direct:scheduling";

    private final RouteCall route;

    public SchedulingLink(Supplier<CamelContext> context) {
        this.route = new RouteCall(context, ENDPOINT);
    }

    /** Sends the bytes of one message (MLLP framing is the producer's) and waits for its ACK. */
    public AckOutcome send(byte[] message) {
        return AckOutcome.of(route.request(message));
    }
}
