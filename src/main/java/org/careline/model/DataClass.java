package org.careline.model;

/**
 * The kinds of data mappings/retention.yaml keeps for a while and then removes, each under its key in that file.
 * {@code clinical}: part of the clinical communication with a patient, which must be kept at least
 * {@link RetentionRules#CLINICAL_MINIMUM_MONTHS} months.
 */
public enum DataClass {
    /** What was sent (outbox free-form bodies) and what patients wrote (inbound_reply content, payload, location). */
    MESSAGE_BODIES("messageBodies", true),
    /** Names and phone numbers of patients with no appointment or message since; numbers' contact preferences. */
    CONTACT_DATA("contactData", false),
    /** Raw inbound HL7 (inbound_message.raw_message). FHIR notifications keep no body. */
    RAW_INBOUND("rawInbound", true),
    /** Meta's webhook bodies as received (webhook_delivery.body), once processed. */
    WEBHOOK_BODIES("webhookBodies", true),
    /** Stored PDF documents (document_attachment). */
    DOCUMENTS("documents", true),
    /** What staff wrote on handoffs: answers and internal notes (handoff_event.body). */
    STAFF_NOTES("staffNotes", true),
    /** The audit trail, pruned by the trail's own rules. */
    AUDIT_TRAIL("auditTrail", true);

    private final String key;
    private final boolean clinical;

    DataClass(String key, boolean clinical) {
        this.key = key;
        this.clinical = clinical;
    }

    /** The key in retention.yaml and in the purge's audit counts. */
    public String key() {
        return key;
    }

    public boolean clinical() {
        return clinical;
    }
}
