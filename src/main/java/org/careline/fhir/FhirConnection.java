package org.careline.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import org.careline.config.FhirSettings;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The one HAPI client every fhir endpoint of routes/fhir.yaml uses (set as the fhir component's client). Built
 * here because camel-fhir hands only the server URL and context of its component configuration on to its
 * endpoints: credentials, timeouts and the validation mode set there never reach the client.
 */
public final class FhirConnection {

    private FhirConnection() {
    }

    /**
     * R4 (HAPI's client sends JSON; no forced encoding, which would add _format=json to every URL, If-None-Exist
     * included), the configured timeouts and credentials, and no /metadata check before the first request.
     */
    public static IGenericClient client(FhirSettings settings) {
        FhirContext context = FhirContext.forR4();
        IRestfulClientFactory factory = context.getRestfulClientFactory();
        // A server that guards /metadata would otherwise fail every call.
        factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
        factory.setConnectTimeout(settings.timeoutMillis());
        factory.setSocketTimeout(settings.timeoutMillis());
        // Without a base URL the routes stay stopped; the client must still be well-formed.
        IGenericClient client = context.newRestfulGenericClient(
                settings.enabled() ? settings.baseUrl() : "http://localhost:1/fhir");
        if (settings.bearerToken() != null) {
            client.registerInterceptor(new BearerTokenAuthInterceptor(settings.bearerToken()));
        } else if (settings.username() != null) {
            client.registerInterceptor(new BasicAuthInterceptor(settings.username(),
                    settings.password() == null ? "" : settings.password()));
        }
        client.registerInterceptor(new IfNoneExistAsParameters());
        return client;
    }

    /**
     * HAPI's client sends a conditional create's If-None-Exist as an absolute, encoded URL; the specification's
     * form is the search parameters alone ("identifier=urn:careline:writeback|17"), which every server takes.
     */
    static final class IfNoneExistAsParameters implements IClientInterceptor {
        static final String HEADER = "If-None-Exist";

        @Override
        public void interceptRequest(IHttpRequest request) {
            List<String> values = request.getAllHeaders().get(HEADER);
            if (values == null || values.isEmpty() || !values.get(0).contains("?")) {
                return;
            }
            String v = values.get(0);
            String parameters = URLDecoder.decode(v.substring(v.indexOf('?') + 1), StandardCharsets.UTF_8);
            request.removeHeaders(HEADER);
            request.addHeader(HEADER, parameters);
        }

        @Override
        public void interceptResponse(IHttpResponse response) {
        }
    }
}
