package org.careline.routes;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import java.util.function.Supplier;

/**
 * A route Java code calls synchronously (a {@code direct:} endpoint of a YAML route), so the protocol details stay
 * in the route an analyst can read. The Camel context exists only once the engine is configured, after the
 * beans that hold this were built, hence the supplier.
 */
public final class RouteCall {

    private final Supplier<CamelContext> context;
    private final String uri;
    private volatile ProducerTemplate producer;

    public RouteCall(Supplier<CamelContext> context, String uri) {
        this.context = context;
        this.uri = uri;
    }

    /** Sends {@code body} through the route and returns the exchange as the route left it. */
    public Exchange request(Object body) {
        return request(body, java.util.Map.of());
    }

    /** Sends {@code body}, with these exchange properties, through the route; returns the exchange as it left it. */
    public Exchange request(Object body, java.util.Map<String, Object> properties) {
        ProducerTemplate p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = context.get().createProducerTemplate();
                }
                p = producer;
            }
        }
        return p.request(uri, ex -> {
            properties.forEach(ex::setProperty);
            ex.getMessage().setBody(body);
        });
    }
}
