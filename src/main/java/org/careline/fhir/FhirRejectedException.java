package org.careline.fhir;

/**
 * The FHIR server refused the request (4xx other than 404/410/408/429), or its answer could not be used (status 0):
 * sending it again will not help.
 */
public final class FhirRejectedException extends Exception {

    private final int status;

    public FhirRejectedException(int status, String reason) {
        super((status == 0 ? "unusable answer" : "HTTP " + status) + (reason == null ? "" : ": " + reason));
        this.status = status;
    }

    public int status() {
        return status;
    }
}
