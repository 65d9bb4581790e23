package org.careline.model;

import org.careline.model.ReminderPolicy;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * A clinic or hospital site from mappings/sites.yaml.
 *
 * @param code            the site's key in sites.yaml
 * @param name            facility name shown to patients
 * @param address         one-line street address shown to patients
 * @param phone           the clinic's phone number shown to patients (may be null)
 * @param phoneRegion     ISO 3166 region for patients' numbers written without a country code
 * @param emergencyNumber the number patients are told to call in an emergency (911, 112, 999, ...)
 * @param zone            the site's time zone
 * @param latitude        map pin latitude, or null
 * @param longitude       map pin longitude, or null
 * @param matches         facility / location identifiers from the feeds that belong to this site
 * @param policy          the site's reminder policy
 * @param servicePolicies reminder policies for particular service codes (AIS-3 identifiers), overriding {@code policy}
 * @param scheduling      where patients' answers are written back: HL7 (SRM over MLLP) or FHIR; null means the way
 *                        each appointment came in (a FHIR-fed appointment over FHIR, an HL7 one over MLLP)
 * @param fhir            what the FHIR write-back does at this site
 * @param consent         opt-out (messages go until the patient says stop) or opt-in (nothing but the opt-in
 *                        template goes until consent is recorded)
 * @param demo            a shipped example site (sites.yaml {@code demo: true}): the engine will not send through
 *                        Meta's own Cloud API while one is configured
 * @param language        the site's own language (ISO 639-1, e.g. "fr"): what its patients get when their feed
 *                        gives no language, or one no template speaks; null: each template's default language
 */
public record Site(String code, String name, String address, String phone, String phoneRegion,
                   String emergencyNumber, ZoneId zone,
                   Double latitude,
                   Double longitude, List<String> matches, ReminderPolicy policy,
                   Map<String, ReminderPolicy> servicePolicies, Scheduling scheduling, FhirWriteback fhir,
                   ConsentMode consent, boolean demo, String language) {

    /** The scheduling system's interface patients' answers go to. */
    public enum Scheduling { HL7, FHIR }

    /**
     * @param patientsMayCancel a CANCEL also sets the FHIR Appointment to cancelled (JSON Patch); otherwise it is
     *                          only the patient's declined answer, and staff cancel
     * @param recordMessages    every message a patient sends about a FHIR-fed appointment is written to the FHIR
     *                          server as a Communication (its text goes into the EHR)
     */
    public record FhirWriteback(boolean patientsMayCancel, boolean recordMessages) {
        public static final FhirWriteback DEFAULT = new FhirWriteback(false, false);
    }

    public ReminderPolicy policyFor(String serviceCode) {
        if (serviceCode != null && servicePolicies != null) {
            ReminderPolicy p = servicePolicies.get(serviceCode);
            if (p != null) {
                return p;
            }
        }
        return policy;
    }

    /**
     * The site's country (ISO 3166, e.g. "US"), as dates and times are written there: the region its patients'
     * national numbers are read in, which is the country the site stands in.
     */
    public String country() {
        return phoneRegion;
    }

    public boolean hasCoordinates() {
        return latitude != null && longitude != null;
    }
}
