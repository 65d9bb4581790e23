package org.careline.model;

/**
 * The kinds of data mappings/retention.yaml keeps for a while and then removes, each under its key in that file.
 * {@code clinical}: part of the clinical communication with a patient, which must be kept at least
 * {@link RetentionRules#CLINICAL_MINIMUM_MONTHS} months.
 */
public enum DataClass {
    /** What was sent (outbox free-form bodies) and what patients wrote (inbound_reply content, payload, location). */
    MESSAGE_BODIES("messageBodies", true, "message bodies (sent and received)"),
    /** Names and phone numbers of patients with no appointment or message since; numbers' contact preferences. */
    CONTACT_DATA("contactData", false, "contact data (names, phone numbers)"),
    /** Raw inbound HL7 (inbound_message.raw_message). FHIR notifications keep no body. */
    RAW_INBOUND("rawInbound", true, "raw inbound HL7 messages"),
    /** Meta's webhook bodies as received (webhook_delivery.body), once processed. */
    WEBHOOK_BODIES("webhookBodies", true, "WhatsApp webhook bodies"),
    /** Stored PDF documents (document_attachment). */
    DOCUMENTS("documents", true, "stored PDF documents"),
    /** What staff wrote: answers and internal notes on handoffs (handoff_event.body), notes with a consent. */
    STAFF_NOTES("staffNotes", true, "staff answers and notes"),
    /** The audit trail, pruned by the trail's own rules. */
    AUDIT_TRAIL("auditTrail", true, "audit trail"),
    /** Monthly KPI reports kept for download (kpi_report, with their e-mails): counts only, nothing of a patient. */
    KPI_REPORTS("kpiReports", false, "monthly KPI reports (counts only)");

    private final String key;
    private final boolean clinical;
    private final String label;

    DataClass(String key, boolean clinical, String label) {
        this.key = key;
        this.clinical = clinical;
        this.label = label;
    }

    /** What the class holds, in words (the processing register). */
    public String label() {
        return label;
    }

    /** The key in retention.yaml and in the purge's audit counts. */
    public String key() {
        return key;
    }

    public boolean clinical() {
        return clinical;
    }
}
