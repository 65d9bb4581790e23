package org.careline.ingest.fhir;

import org.hl7.fhir.r4.model.Resource;

import java.util.List;
import java.util.Map;

/**
 * What one request under /fhir/ says changed. Carries no PHI itself except inside {@code resources}.
 *
 * @param kind             what the request is
 * @param subscription     "Subscription/123" (topic-based notifications), else null
 * @param topic            the SubscriptionTopic canonical URL (topic-based), else null
 * @param eventsSinceStart events-since-subscription-start (topic-based), else null
 * @param events           the changed resources in notification order; one for RESOURCE_CHANGED/DELETED, none for
 *                         PING, HANDSHAKE, HEARTBEAT, QUERY_STATUS
 * @param payloadContent   empty | id-only | full-resource for EVENT_NOTIFICATION / QUERY_EVENT (inferred from the
 *                         bundle, R4 status Parameters do not state it); null otherwise
 * @param resources        resources the request carried in full, keyed "Appointment/1" (the PUT body, or
 *                         full-resource entries HAPI's R4 parser could read); saves the caller a read
 */
public record FhirNotification(Kind kind, String subscription, String topic, Long eventsSinceStart,
                               List<Event> events, String payloadContent, Map<String, Resource> resources) {

    public enum Kind {
        RESOURCE_CHANGED, RESOURCE_DELETED, PING, HANDSHAKE, HEARTBEAT, EVENT_NOTIFICATION, QUERY_STATUS, QUERY_EVENT
    }

    /**
     * @param eventNumber the topic event number, or null when none (query-based rest-hooks)
     * @param focus       "Appointment/1" (relative, unversioned), or null when the payload is empty
     * @param version     the version id when the reference or resource gives one, else null
     */
    public record Event(Long eventNumber, String focus, String version) {

        /** The focus's resource type ("Appointment"), or null. */
        public String focusType() {
            return focus == null ? null : focus.substring(0, focus.indexOf('/'));
        }

        /** The focus's logical id ("1"), or null. */
        public String focusId() {
            return focus == null ? null : focus.substring(focus.indexOf('/') + 1);
        }
    }

    public FhirNotification {
        events = List.copyOf(events);
        resources = Map.copyOf(resources);
    }
}
