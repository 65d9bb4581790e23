package org.careline.fhir;

/** The FHIR server could not answer now (refused, timed out, 5xx, 429): the same request later may succeed. */
public final class FhirUnavailableException extends Exception {
    public FhirUnavailableException(String reason) {
        super(reason);
    }
}
