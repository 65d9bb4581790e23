package org.careline.model;

/**
 * One telecom entry as a feed gives it (an HL7 XTN repetition, later a FHIR ContactPoint), before normalisation.
 *
 * @param number        the number as written (XTN-1, or XTN-12 unformatted), may be null
 * @param useCode       telecom use code (XTN-2: PRN, ORN, WPN, NET, ... or non-standard markers such as MOBILE)
 * @param equipmentType equipment type (XTN-3: PH, CP, FX, Internet, X.400, ...)
 * @param email         e-mail address (XTN-4), if this entry is one
 * @param countryCode   XTN-5
 * @param areaCode      XTN-6
 * @param localNumber   XTN-7
 * @param extension     XTN-8
 */
public record PhoneCandidate(String number, String useCode, String equipmentType, String email, String countryCode,
                             String areaCode, String localNumber, String extension) {
}
