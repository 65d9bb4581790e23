package org.careline.model;

/**
 * What an outbox row is for. Template kinds map to a template in mappings/templates.yaml and may be sent at any
 * time; free-form kinds (replies) may only go out inside the 24-hour window a patient's message opened.
 */
public enum MessageKind {
    CONFIRMATION(true),
    REMINDER(true),
    RESCHEDULED(true),
    CANCELLED(true),
    /** "Your results are ready in the portal" (ORU, status F): no clinical content, a portal link only. */
    RESULTS_AVAILABLE(true),
    /** "Your results were updated" (ORU, status C): never folded into another notice. */
    RESULTS_UPDATED(true),
    /** "A document is ready in the portal" (MDM^T02/T04). */
    DOCUMENT_AVAILABLE(true),
    /**
     * "A document is ready", with the document's PDF as the template's document header: only for document types
     * listed in results.yaml documents.attachPdf (documents with no clinical data, e.g. a receipt).
     */
    DOCUMENT_ATTACHED(true),
    /**
     * The site's follow-up template, sent by staff working a handoff when the 24-hour window has closed and a free
     * text may no longer go (mappings/triage.yaml followUpTemplate). Optional in templates.yaml.
     */
    FOLLOW_UP(true),
    /**
     * The opt-in template of an opt-in site (mappings/sites.yaml consent: opt-in): asks the patient's consent, sent
     * once, when the first message to them falls due. Optional in templates.yaml unless a site is opt-in.
     */
    OPT_IN(true),
    /** A free-form text reply (help, menu, acknowledgements). */
    TEXT(false),
    /** A free-form location pin of the appointment's site. */
    LOCATION(false),
    /**
     * A free-form text that goes even to a number that has opted out: the opt-out confirmation itself, and the
     * advice to call the emergency number.
     */
    SERVICE_TEXT(false);

    private final boolean template;

    MessageKind(boolean template) {
        this.template = template;
    }

    public boolean isTemplate() {
        return template;
    }

    /** The key used for this kind in mappings/templates.yaml. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
