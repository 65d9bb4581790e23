package org.careline.ingest.fhir;

/**
 * A notification request Careline cannot read: wrong method, path, media type or body shape. The message is a short
 * diagnostics text meant for the peer's OperationOutcome, so it names types, ids and rules but never echoes body
 * content (which may hold PHI).
 */
public final class FhirInputException extends Exception {

    private final int httpStatus;

    public FhirInputException(String message) {
        this(message, 400);
    }

    /** @param httpStatus the status to answer with: 400, or 405 (method) / 415 (media type) */
    public FhirInputException(String message, int httpStatus) {
        super(message);
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
