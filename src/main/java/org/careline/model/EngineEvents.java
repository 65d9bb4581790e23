package org.careline.model;

/**
 * Events counted for operators (Prometheus metrics, docs/metrics.md), told by the class that decides each outcome.
 * A plain interface on the floor of nouns, so that the parts that decide (ingest, send) count without importing
 * Micrometer or the {@code metrics} package, which stands above them (it reads the sending pause and the queues);
 * {@code metrics.EngineMetrics} implements it and the Engine hands that one instance to every counting class.
 *
 * <p>Every argument becomes a label value, so each comes from a small fixed set: enums here, HL7 codes only when
 * known (else {@link #UNKNOWN}), Cloud API error codes as numbers. Never a phone, a name, a wamid, an MRN or a
 * control id.
 */
public interface EngineEvents {

    /** The label value for a code the engine does not know (what the sender wrote is never a label). */
    String UNKNOWN = "unknown";

    /** Counts nothing: for classes built outside an engine (tests, tools). */
    EngineEvents NONE = new EngineEvents() {
        @Override
        public void hl7Answered(String messageType, String triggerEvent, String ackCode) {
        }

        @Override
        public void fhirNotification(FhirNotificationOutcome outcome) {
        }

        @Override
        public void webhook(WebhookOutcome outcome) {
        }

        @Override
        public void send(SendOutcome outcome, Integer errorCode) {
        }
    };

    /** What a FHIR notification POSTed to /fhir came to. */
    enum FhirNotificationOutcome {
        /** Stored as work (or nothing to do), answered 200. */
        ACCEPTED,
        /** Missing or wrong shared secret: 401. */
        UNAUTHORIZED,
        /** Not a notification we can read: 400 or 415/422. */
        REFUSED,
        /** FHIR is not configured here: 503. */
        NOT_CONFIGURED
    }

    /** What a webhook POST from Meta came to. */
    enum WebhookOutcome {
        /** Stored, to be processed. */
        STORED,
        /** The same body as a delivery already stored: answered 200, not stored again. */
        REPEAT,
        /** Stored but cannot be processed (not UTF-8, a NUL): answered 200 so that Meta stops. */
        UNPROCESSABLE,
        /** Missing or wrong signature, or no app secret to check it with: 401. */
        UNAUTHORIZED,
        /** Over CARELINE_WEBHOOK_MAX_BYTES: 413. */
        TOO_LARGE
    }

    /** What became of one attempt to send an outbox message. */
    enum SendOutcome {
        /** The Cloud API accepted it. */
        SENT,
        /** A retryable failure: back in the queue after a backoff. */
        RETRY,
        /** Given up: a dead letter (permanent error, attempts used up, or nothing could be rendered). */
        DEAD,
        /** An answer that pauses all sending (token, account): the message waits in the queue. */
        PAUSED,
        /** Not sent by decision (cancelled, opted out, no consent, too late…). */
        SKIPPED
    }

    /**
     * An HL7 v2 message was answered over MLLP.
     *
     * @param messageType  MSH-9.1 when a known code (SIU, ORU, MDM…), else {@link #UNKNOWN}
     * @param triggerEvent MSH-9.2 when known with its type (S12…), else {@link #UNKNOWN} or empty
     * @param ackCode      the MSA-1 we answered: AA, AE or AR
     */
    void hl7Answered(String messageType, String triggerEvent, String ackCode);

    void fhirNotification(FhirNotificationOutcome outcome);

    void webhook(WebhookOutcome outcome);

    /**
     * @param errorCode the Cloud API's error code when the outcome came with one, else null
     */
    void send(SendOutcome outcome, Integer errorCode);
}
