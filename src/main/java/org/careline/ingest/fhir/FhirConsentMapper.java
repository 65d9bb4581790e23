package org.careline.ingest.fhir;

import org.careline.config.FhirMapping;
import org.careline.model.ConsentValue;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads an R4 Consent into what it means for messaging the patient. Pure.
 *
 * <ul>
 *   <li>active + provision.type permit → granted; active + deny → refused;</li>
 *   <li>inactive or rejected → withdrawn (a consent no longer in force allows nothing);</li>
 *   <li>entered-in-error → the Consent never held: a grant it made is taken back (withdrawn), a refusal it made
 *       stays (an error never starts messages), and when it is no longer the patient's current say, nothing;</li>
 *   <li>draft or proposed → nothing yet.</li>
 * </ul>
 * Only Consents whose scope and category pass fhir.yaml's consent lists count; others are about something else
 * (treatment, research) and change nothing. The patient is the Consent's {@code patient} reference, keyed as the
 * Appointment mapper keys it ({@code FHIR|Patient/<id>}).
 */
public final class FhirConsentMapper {

    /** What one Consent means; one type per thing the caller does. */
    public sealed interface Reading {
    }

    /** Record {@code value} for the patient. */
    public record Change(String patientKey, String patientId, ConsentValue value) implements Reading {
    }

    /** Entered in error: undo a grant only if this very Consent made the patient's current one. */
    public record Annulled(String patientKey, String patientId) implements Reading {
    }

    /** Nothing to record, and why (for the log; ids and codes only). */
    public record NoEffect(String why) implements Reading {
    }

    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private final FhirMapping.ConsentCodes codes;

    public FhirConsentMapper(FhirMapping.ConsentCodes codes) {
        this.codes = codes;
    }

    /** The source a Consent's change is recorded under: fhir:&lt;Consent id&gt;. */
    public static String source(String consentId) {
        return "fhir:" + consentId;
    }

    /**
     * Why the Consent cannot be read, or empty when it can: no status or one R4 does not know, no Patient reference
     * (or one whose id is not a FHIR id), an active Consent without provision.type. Checked at /fhir for a Consent
     * PUT in full (400), and again when it is read from the server.
     */
    public static Optional<String> problem(Consent c) {
        String status = c.getStatusElement().getValueAsString();
        if (status == null || c.getStatus() == null || c.getStatus() == Consent.ConsentState.NULL) {
            return Optional.of("Consent has no status, or one that is not an R4 Consent.status");
        }
        String patient = PatientDetails.referencedId(c.getPatient(), "Patient");
        if (patient == null || !ID.matcher(patient).matches()) {
            return Optional.of("Consent has no patient reference to a Patient/<id>");
        }
        if (c.getStatus() == Consent.ConsentState.ACTIVE && type(c) == null) {
            return Optional.of("An active Consent needs provision.type permit or deny");
        }
        return Optional.empty();
    }

    public Reading read(Consent c) throws UnmappableResourceException {
        Optional<String> problem = problem(c);
        if (problem.isPresent()) {
            throw new UnmappableResourceException(problem.get());
        }
        String patientId = PatientDetails.referencedId(c.getPatient(), "Patient");
        String key = "FHIR|Patient/" + patientId;
        if (c.getStatus() == Consent.ConsentState.ENTEREDINERROR) {
            return new Annulled(key, patientId);
        }
        if (!codes.accepts(codings(List.of(c.getScope())), codings(c.getCategory()))) {
            return new NoEffect("scope/category not listed in fhir.yaml consent");
        }
        return switch (c.getStatus()) {
            case ACTIVE -> new Change(key, patientId, type(c) == Consent.ConsentProvisionType.PERMIT
                    ? ConsentValue.GRANTED : ConsentValue.REFUSED);
            case INACTIVE, REJECTED -> new Change(key, patientId, ConsentValue.WITHDRAWN);
            default -> new NoEffect("status " + c.getStatus().toCode() + " is not in force yet");
        };
    }

    /** provision.type when it is permit or deny, else null. */
    private static Consent.ConsentProvisionType type(Consent c) {
        if (!c.hasProvision() || c.getProvision().getType() == null) {
            return null;
        }
        Consent.ConsentProvisionType t = c.getProvision().getType();
        return t == Consent.ConsentProvisionType.PERMIT || t == Consent.ConsentProvisionType.DENY ? t : null;
    }

    /** Every coding as "system|code" ("|code" without a system). */
    private static List<String> codings(List<CodeableConcept> concepts) {
        List<String> out = new ArrayList<>();
        for (CodeableConcept cc : concepts) {
            if (cc == null) {
                continue;
            }
            for (Coding coding : cc.getCoding()) {
                if (coding.hasCode()) {
                    out.add((coding.hasSystem() ? coding.getSystem() : "") + "|" + coding.getCode());
                }
            }
        }
        return out;
    }
}
