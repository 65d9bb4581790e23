package org.careline.writeback;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import java.util.function.Supplier;

/**
 * Sends one message to the scheduling system through the "scheduling" route (routes/writeback.yaml, a camel-mllp
 * producer) and says what the answer was.
 */
public final class SchedulingLink {

    public static final String ENDPOINT = "direct:scheduling";

    private final Supplier<CamelContext> context;
    private volatile ProducerTemplate producer;

    /** The Camel context exists only once the engine is configured, after this link is built. */
    public SchedulingLink(Supplier<CamelContext> context) {
        this.context = context;
    }

    /** Sends the bytes of one message (MLLP framing is the producer's) and waits for its ACK. */
    public AckOutcome send(byte[] message) {
        ProducerTemplate producer = this.producer;
        if (producer == null) {
            synchronized (this) {
                if (this.producer == null) {
                    this.producer = context.get().createProducerTemplate();
                }
                producer = this.producer;
            }
        }
        Exchange reply = producer.request(ENDPOINT, ex -> ex.getMessage().setBody(message));
        return AckOutcome.of(reply);
    }
}
