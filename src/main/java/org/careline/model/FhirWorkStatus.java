package org.careline.model;

/**
 * Where a FHIR re-read stands: PENDING, WORKING (claimed) or DONE.
 * The database stores {@link #dbValue()}; code compares the enum, never the string.
 */
public enum FhirWorkStatus {
    PENDING, WORKING, DONE;

    /** The value in the database's status column. */
    public String dbValue() {
        return name();
    }

    /** The status a database value stands for; null for null (a row a LEFT JOIN did not find). */
    public static FhirWorkStatus fromDb(String value) {
        return value == null ? null : valueOf(value);
    }
}
