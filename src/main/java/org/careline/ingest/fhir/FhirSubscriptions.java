package org.careline.ingest.fhir;

import org.careline.model.LogSafe;
import org.careline.config.FhirMapping;
import org.careline.config.FhirSettings;
import org.careline.fhir.FhirClient;
import org.careline.fhir.FhirRejectedException;
import org.careline.fhir.FhirUnavailableException;
import org.hl7.fhir.r4.model.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps Careline's Subscriptions (mappings/fhir.yaml) on the FHIR server when CARELINE_FHIR_CALLBACK_URL is set:
 * created, or updated in place (found by their tag), by a conditional update. Called by a timer until it has
 * succeeded once, so a server that is down at start is set up when it comes back.
 */
public final class FhirSubscriptions {

    private static final Logger LOG = LoggerFactory.getLogger(FhirSubscriptions.class);
    public static final String TAG_SYSTEM = "http://careline.org/fhir/subscription";

    private final FhirClient client;
    private final FhirMapping mapping;
    private final FhirSettings settings;
    private volatile boolean done;

    public FhirSubscriptions(FhirClient client, FhirMapping mapping, FhirSettings settings) {
        this.client = client;
        this.mapping = mapping;
        this.settings = settings;
        this.done = !settings.enabled() || settings.callbackUrl() == null;
    }

    /** Creates or updates every configured Subscription; a no-op once that has worked. */
    public void ensure() {
        if (done) {
            return;
        }
        List<String> ids = new ArrayList<>();
        try {
            for (FhirMapping.Subscription s : mapping.subscriptions()) {
                ids.add(client.update(build(s, settings), "Subscription?_tag=" + TAG_SYSTEM + "|" + s.name()));
            }
            done = true;
            LOG.info("FHIR subscriptions on the server: {}", LogSafe.of(ids));
        } catch (FhirUnavailableException e) {
            LOG.warn("FHIR subscriptions not set up yet ({}); trying again in a minute", LogSafe.of(e.getMessage()));
        } catch (FhirRejectedException e) {
            LOG.error("FHIR subscriptions refused by the server ({}); trying again in a minute",
                    LogSafe.of(e.getMessage()));
        }
    }

    public boolean done() {
        return done;
    }

    /** The R4 rest-hook Subscription for one entry of mappings/fhir.yaml. */
    static Subscription build(FhirMapping.Subscription s, FhirSettings settings) {
        Subscription sub = new Subscription();
        sub.getMeta().addTag(TAG_SYSTEM, s.name(), "Careline " + s.name());
        sub.setStatus(Subscription.SubscriptionStatus.REQUESTED);
        sub.setReason("Careline patient messaging: " + s.name());
        sub.setCriteria(s.criteria());
        Subscription.SubscriptionChannelComponent ch = sub.getChannel();
        ch.setType(Subscription.SubscriptionChannelType.RESTHOOK);
        ch.setEndpoint(settings.callbackUrl());
        if (s.fullResource()) {
            ch.setPayload("application/fhir+json");
        }
        if (settings.notifySecret() != null) {
            ch.addHeader(FhirSettings.SECRET_HEADER + ": " + settings.notifySecret());
        }
        return sub;
    }
}
