package org.careline.model;

/**
 * The patient of a result or document notice, as any feed (ORU, MDM, a FHIR DiagnosticReport) gives it. Holds PHI:
 * never log it.
 */
public record PatientFacts(String patientKey, String identifier, String authority, String givenName, String familyName,
                           String phone, String language, String siteCode) {
}
