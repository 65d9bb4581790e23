package org.careline.ingest.fhir;

import org.careline.model.PatientFacts;
import org.careline.model.Site;
import org.careline.config.FhirMapping;
import org.careline.config.SiteDirectory;
import org.careline.contact.MobileNumberPicker;
import org.careline.model.OrderFacts;
import org.careline.model.PhoneMarkers;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static org.careline.ingest.fhir.PatientDetails.clean;
import static org.careline.ingest.fhir.PatientDetails.referencedId;

/**
 * Reads a FHIR R4 DiagnosticReport into the same patient and order facts an ORU gives, so ResultReleasePolicy
 * decides about it the same way. Status maps to the OBR-25 letters: final → F; amended, corrected, appended → C;
 * cancelled, entered-in-error → X; registered, partial, preliminary → P. Nothing clinical (conclusion,
 * presentedForm, results) is read.
 */
public final class FhirReportMapper {

    /** v2-0074 diagnostic service section codes (LAB, SP, RAD, ...) are what results.yaml's sections match. */
    static final String V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074";

    /** A mapped report: its patient and its one order. */
    public record Mapped(PatientFacts patient, OrderFacts order) {
    }

    private final SiteDirectory sites;
    /** How the subject's telecom entries are read (mappings/fhir.yaml). */
    private final FhirMapping.Telecom telecom;
    private final FhirMapping mapping;
    private final Map<String, MobileNumberPicker> pickers = new ConcurrentHashMap<>();
    /** The codes that mark a mobile, a fax or pager (pieces.yaml's phones piece, named by fhir.yaml's telecom). */
    private final PhoneMarkers markers;

    public FhirReportMapper(SiteDirectory sites, FhirMapping mapping) {
        this.sites = sites;
        this.telecom = mapping.telecom();
        this.mapping = mapping;
        this.markers = mapping.phoneMarkers();
    }

    /** The OBR-25-style status letter for a report status; empty when unknown. */
    public static Optional<String> statusLetter(DiagnosticReport.DiagnosticReportStatus status) {
        if (status == null) {
            return Optional.empty();
        }
        return switch (status) {
            case FINAL -> Optional.of("F");
            case AMENDED, CORRECTED, APPENDED -> Optional.of("C");
            case CANCELLED, ENTEREDINERROR -> Optional.of("X");
            case REGISTERED, PARTIAL, PRELIMINARY -> Optional.of("P");
            default -> Optional.empty();
        };
    }

    /**
     * @param r the report
     * @param p its subject as fetched, or null (then only the patient's id is known)
     * @return the facts, or empty when the status is unknown
     * @throws UnmappableResourceException no id; the subject is not a Patient; the Patient given is another one
     */
    public Optional<Mapped> map(DiagnosticReport r, Patient p) throws UnmappableResourceException {
        Optional<String> status = statusLetter(r.getStatus());
        if (status.isEmpty()) {
            return Optional.empty();
        }
        String reportId = r.getIdElement().getIdPart();
        if (reportId == null) {
            throw new UnmappableResourceException("DiagnosticReport has no id");
        }
        String patientId = referencedId(r.getSubject(), "Patient");
        String givenId = p == null ? null : p.getIdElement().getIdPart();
        if (patientId == null && r.hasSubject()) {
            throw new UnmappableResourceException("DiagnosticReport/" + reportId + " has a subject that is not a Patient");
        }
        if (patientId == null) {
            patientId = givenId;
        }
        if (patientId == null) {
            throw new UnmappableResourceException("DiagnosticReport/" + reportId + " has no Patient subject");
        }
        if (givenId != null && !givenId.equals(patientId)) {
            // Never tell one patient about another's result.
            throw new UnmappableResourceException("DiagnosticReport/" + reportId + " is about Patient/" + patientId
                    + ", not the Patient given");
        }

        Site site = sites.resolve(siteKeys(r, mapping.sources("report", "site")));
        MobileNumberPicker phones = pickers.computeIfAbsent(site.phoneRegion(),
                region -> new MobileNumberPicker(region, markers));
        PatientDetails details = PatientDetails.read(p, phones, telecom, field -> mapping.sources("patient", field));
        PatientFacts patient = new PatientFacts("FHIR|Patient/" + patientId, patientId, null,
                details.givenName(), details.familyName(), details.phoneE164(), details.language(), site.code());

        Coding code = r.getCode().hasCoding() ? r.getCode().getCodingFirstRep() : null;
        OrderFacts order = new OrderFacts("DiagnosticReport/" + reportId, status.get(),
                code == null ? null : clean(code.getCode()), section(r), new LinkedHashSet<>(), null);
        return Optional.of(new Mapped(patient, order));
    }

    /**
     * What sites.yaml matches, in the order fhir.yaml's report.site lists it (as shipped: every performer's
     * identifier value, then their displays, then their references).
     */
    private static List<String> siteKeys(DiagnosticReport r, List<String> sources) {
        List<String> keys = new ArrayList<>();
        for (String source : sources) {
            for (Reference ref : r.getPerformer()) {
                keys.add(switch (source) {
                    case "performer.identifier" -> ref.hasIdentifier() ? clean(ref.getIdentifier().getValue()) : null;
                    case "performer.display" -> clean(ref.getDisplay());
                    default -> clean(ref.getReference());
                });
            }
        }
        keys.removeIf(java.util.Objects::isNull);
        return keys;
    }

    /**
     * The diagnostic service section: a v2-0074 category code when there is one (what OBR-24 carries and
     * results.yaml matches), else the first category's first code.
     */
    private static String section(DiagnosticReport r) {
        for (CodeableConcept c : r.getCategory()) {
            for (Coding coding : c.getCoding()) {
                if (V2_0074.equals(coding.getSystem()) && clean(coding.getCode()) != null) {
                    return clean(coding.getCode());
                }
            }
        }
        return r.hasCategory() && r.getCategoryFirstRep().hasCoding()
                ? clean(r.getCategoryFirstRep().getCodingFirstRep().getCode()) : null;
    }
}
