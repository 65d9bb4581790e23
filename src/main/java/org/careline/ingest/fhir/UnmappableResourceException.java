package org.careline.ingest.fhir;

/**
 * A well-formed resource Careline cannot message about: an Appointment without a Patient participant, a booked one
 * without a start, a Patient resource that is not the one the Appointment names. Distinct from
 * {@link FhirInputException}: the peer did nothing wrong, so the route acknowledges and records it instead of
 * rejecting the notification. The message names ids only, never PHI.
 */
public final class UnmappableResourceException extends Exception {

    public UnmappableResourceException(String message) {
        super(message);
    }
}
