package org.careline.ingest.hl7.mllp;

import org.apache.camel.Endpoint;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpConfiguration;
import org.apache.camel.support.CamelContextHelper;

import java.util.Map;

/** camel-mllp, with server consumers that keep pipelined frames (see package doc). */
public class PipeliningMllpComponent extends MllpComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MllpConfiguration configuration = hasConfiguration() ? getConfiguration().copy() : new MllpConfiguration();
        PipeliningMllpEndpoint endpoint = new PipeliningMllpEndpoint(uri, this, configuration);
        if (endpoint.getConfiguration().getSslContextParameters() == null) {
            endpoint.getConfiguration().setSslContextParameters(retrieveGlobalSslContextParameters());
        }
        endpoint.setCharsetName(getDefaultCharset());
        int colon = remaining.indexOf(':');
        if (colon >= 0) {
            endpoint.setHostname(remaining.substring(0, colon));
            endpoint.setPort(CamelContextHelper.parseInt(getCamelContext(), remaining.substring(colon + 1)));
        } else {
            endpoint.setPort(CamelContextHelper.parseInt(getCamelContext(), remaining));
        }
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
