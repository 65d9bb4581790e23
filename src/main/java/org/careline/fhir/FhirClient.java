package org.careline.fhir;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.fhir.api.ExtraParameters;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Calls the FHIR server through the fhir-* routes (routes/fhir.yaml, camel-fhir) and turns their outcome into a
 * result or one of two typed failures the callers tell apart: {@link FhirUnavailableException} (try again later)
 * and {@link FhirRejectedException} (final). Only ids and status codes go into exception messages: a server's
 * error text may quote the resource.
 */
public final class FhirClient {

    private static final String HEADER = "CamelFhir.";
    /** A catch-up never follows more pages than this in one go (the next round carries on). */
    private static final int MAX_PAGES = 50;

    private final Supplier<CamelContext> context;
    private final String baseUrl;
    private volatile ProducerTemplate producer;

    /** @param baseUrl CARELINE_FHIR_BASE_URL (null when FHIR is off: then nothing here is called) */
    public FhirClient(Supplier<CamelContext> context, String baseUrl) {
        this.context = context;
        this.baseUrl = baseUrl;
    }

    /** The current version of {@code reference} ("Appointment/1"), or empty when the server has no such resource. */
    public Optional<IBaseResource> read(String reference) throws FhirUnavailableException, FhirRejectedException {
        String type = reference.substring(0, reference.indexOf('/'));
        Exchange ex = call("direct:fhir-read", null, Map.of(HEADER + "resourceClass", type, HEADER + "url", reference));
        Throwable failure = failure(ex);
        if (failure != null) {
            if (find(failure, ResourceNotFoundException.class) != null || find(failure, ResourceGoneException.class) != null) {
                return Optional.empty();
            }
            throw classify(failure, "read " + type);
        }
        return Optional.ofNullable(ex.getMessage().getBody(IBaseResource.class));
    }

    /** Every resource a search (relative URL) finds, following next links. */
    public List<Resource> search(String url) throws FhirUnavailableException, FhirRejectedException {
        Bundle page = searchBundle(url);
        List<Resource> found = new ArrayList<>();
        for (int pages = 0; page != null && pages < MAX_PAGES; pages++) {
            for (Bundle.BundleEntryComponent e : page.getEntry()) {
                if (e.hasResource() && (!e.hasSearch() || e.getSearch().getMode() != Bundle.SearchEntryMode.INCLUDE
                        && e.getSearch().getMode() != Bundle.SearchEntryMode.OUTCOME)) {
                    found.add(e.getResource());
                }
            }
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                break;
            }
            Exchange ex = call("direct:fhir-next-page", page, Map.of(HEADER + "extraParameters", noCache()));
            Throwable failure = failure(ex);
            if (failure != null) {
                throw classify(failure, "next page");
            }
            page = ex.getMessage().getBody(Bundle.class);
        }
        return found;
    }

    /** A search (relative URL), first page. */
    public Bundle searchBundle(String url) throws FhirUnavailableException, FhirRejectedException {
        Exchange ex = call("direct:fhir-search", null, Map.of(HEADER + "url", url, HEADER + "extraParameters", noCache()));
        Throwable failure = failure(ex);
        if (failure != null) {
            throw classify(failure, "search " + url.split("\\?", 2)[0]);
        }
        return ex.getMessage().getBody(Bundle.class);
    }

    /** A GET of {@code path} (relative to the base URL) answering a Bundle, such as Subscription/1/$events. */
    public Bundle getBundle(String path) throws FhirUnavailableException, FhirRejectedException {
        Exchange ex = call("direct:fhir-get-bundle", null, Map.of(HEADER + "url", baseUrl + "/" + path,
                HEADER + "returnType", Bundle.class, HEADER + "extraParameters", noCache()));
        Throwable failure = failure(ex);
        if (failure != null) {
            throw classify(failure, "get " + path.split("\\?", 2)[0]);
        }
        return ex.getMessage().getBody(Bundle.class);
    }

    /**
     * Creates {@code resource}; with {@code ifNoneExist} (a search such as "identifier=urn:x|1") the server creates
     * it only when nothing matches, so a retry never makes a second one. Returns the id ("Type/id") it has there.
     */
    public String create(Resource resource, String ifNoneExist) throws FhirUnavailableException, FhirRejectedException {
        Map<String, Object> headers = ifNoneExist == null ? Map.of()
                : Map.of(HEADER + "url", resource.fhirType() + "?" + ifNoneExist);
        return outcomeId(call("direct:fhir-create", resource, headers), "create " + resource.fhirType());
    }

    /** Creates or updates the one resource {@code searchUrl} finds (conditional update). */
    public String update(Resource resource, String searchUrl) throws FhirUnavailableException, FhirRejectedException {
        return outcomeId(call("direct:fhir-update", resource, Map.of(HEADER + "url", searchUrl)),
                "update " + resource.fhirType());
    }

    /** Applies a JSON Patch document to {@code reference} ("Appointment/1"). */
    public String patch(String reference, String jsonPatch) throws FhirUnavailableException, FhirRejectedException {
        return outcomeId(call("direct:fhir-patch", jsonPatch, Map.of(HEADER + "stringId", reference)),
                "patch " + reference.substring(0, reference.indexOf('/')));
    }

    /**
     * Searches ask for fresh results: HAPI's JPA server, for one, answers a repeated search from a cache for a
     * minute, and a catch-up must see what changed since.
     */
    private static Map<ExtraParameters, Object> noCache() {
        // Mutable: camel-fhir takes its entries out as it applies them.
        Map<ExtraParameters, Object> extra = new java.util.EnumMap<>(ExtraParameters.class);
        extra.put(ExtraParameters.CACHE_CONTROL_DIRECTIVE, new CacheControlDirective().setNoCache(true));
        return extra;
    }

    private String outcomeId(Exchange ex, String what) throws FhirUnavailableException, FhirRejectedException {
        Throwable failure = failure(ex);
        if (failure != null) {
            throw classify(failure, what);
        }
        MethodOutcome outcome = ex.getMessage().getBody(MethodOutcome.class);
        if (outcome == null || outcome.getId() == null) {
            return null;
        }
        return outcome.getId().toUnqualifiedVersionless().getValue();
    }

    private Exchange call(String uri, Object body, Map<String, Object> headers) {
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
            ex.getMessage().setBody(body);
            ex.getMessage().setHeaders(new java.util.HashMap<>(headers));
        });
    }

    private static Throwable failure(Exchange ex) {
        Throwable t = ex.getException();
        if (t == null) {
            t = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        }
        return t;
    }

    /** 5xx, 408, 429, timeouts and refused connections may pass later (returned); any other 4xx is final (thrown). */
    static FhirUnavailableException classify(Throwable failure, String what) throws FhirRejectedException {
        if (find(failure, FhirClientConnectionException.class) != null) {
            return new FhirUnavailableException(what + ": no connection or no answer");
        }
        BaseServerResponseException response = find(failure, BaseServerResponseException.class);
        if (response != null) {
            int status = response.getStatusCode();
            if (status >= 500 || status == 408 || status == 429 || status == 0) {
                return new FhirUnavailableException(what + ": HTTP " + status);
            }
            throw new FhirRejectedException(status, what);
        }
        if (find(failure, java.io.IOException.class) != null) {
            return new FhirUnavailableException(what + ": " + root(failure).getClass().getSimpleName());
        }
        // Neither HTTP nor the network: the request or the answer did not fit (e.g. an operation answering
        // something other than a Bundle). Asking again would get the same.
        throw new FhirRejectedException(0, what + ": " + root(failure).getClass().getSimpleName());
    }

    private static Throwable root(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
