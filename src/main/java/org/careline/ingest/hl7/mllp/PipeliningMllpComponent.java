package org.careline.ingest.hl7.mllp;

import org.apache.camel.Endpoint;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpConfiguration;
import org.apache.camel.support.CamelContextHelper;

import java.util.Map;

/** camel-mllp, with server consumers that keep pipelined frames (see package doc). */
public class PipeliningMllpComponent extends MllpComponent {

    private final MllpEdge edge;

    public PipeliningMllpComponent() {
        this(MllpEdge.open());
    }

    /** With the listener's guards and TLS (see {@link MllpEdge}). */
    public PipeliningMllpComponent(MllpEdge edge) {
        this.edge = edge;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MllpConfiguration configuration = hasConfiguration() ? getConfiguration().copy() : new MllpConfiguration();
        PipeliningMllpEndpoint endpoint = new PipeliningMllpEndpoint(uri, this, configuration, edge);
        if (endpoint.getConfiguration().getSslContextParameters() == null) {
            endpoint.getConfiguration().setSslContextParameters(retrieveGlobalSslContextParameters());
        }
        endpoint.setCharsetName(getDefaultCharset());
        // The last colon: an IPv6 bind address ([::1] or ::1) has colons of its own.
        int colon = remaining.lastIndexOf(':');
        if (colon >= 0) {
            endpoint.setHostname(unbracketed(remaining.substring(0, colon)));
            endpoint.setPort(CamelContextHelper.parseInt(getCamelContext(), remaining.substring(colon + 1)));
        } else {
            endpoint.setPort(CamelContextHelper.parseInt(getCamelContext(), remaining));
        }
        setProperties(endpoint, parameters);
        return endpoint;
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
