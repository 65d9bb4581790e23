package org.careline.ingest.fhir;

import org.careline.config.FhirMapping;
import org.careline.contact.LanguageCodes;
import org.careline.contact.MobileNumberPicker;
import org.careline.model.PhoneCandidate;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The parts of a FHIR Patient a message needs: name, WhatsApp number, language. Shared by the appointment and the
 * report mapper, as PID is by the SIU and ORU ones. Holds PHI: never log it.
 */
record PatientDetails(String givenName, String familyName, String phoneE164, String language) {

    static final PatientDetails NONE = new PatientDetails(null, null, null, null);

    /** As the shipped fhir.yaml says: the defaults of its patient section. */
    static PatientDetails read(Patient p, MobileNumberPicker phones, FhirMapping.Telecom telecom) {
        return read(p, phones, telecom, field -> FhirMapping.defaultSources("patient", field));
    }

    /**
     * @param sources fhir.yaml's patient section: for name, language and phones, the sources in order
     */
    static PatientDetails read(Patient p, MobileNumberPicker phones, FhirMapping.Telecom telecom,
                               Function<String, List<String>> sources) {
        if (p == null) {
            return NONE;
        }
        HumanName name = name(p.getName(), sources.apply("name"));
        List<List<PhoneCandidate>> lists = candidates(p.getTelecom(), telecom);
        List<List<PhoneCandidate>> tried = new ArrayList<>();
        for (String source : sources.apply("phones")) {
            tried.add(lists.get(source.equals("telecom.own") ? 0 : 1));
        }
        return new PatientDetails(name == null || name.getGiven().isEmpty() ? null : clean(name.getGiven().get(0)),
                name == null ? null : clean(name.getFamily()),
                phones.pick(tried).orElse(null), language(p, sources.apply("language")));
    }

    /** The official name, else the first one that is not old or maiden, else the first. */
    static HumanName name(List<HumanName> names) {
        return name(names, FhirMapping.defaultSources("patient", "name"));
    }

    /**
     * The name the first source finds: name.official (use official), name.current (not old or maiden),
     * name.first.
     */
    static HumanName name(List<HumanName> names, List<String> sources) {
        for (String source : sources) {
            for (HumanName n : names) {
                boolean found = switch (source) {
                    case "name.official" -> n.getUse() == HumanName.NameUse.OFFICIAL;
                    case "name.current" -> n.getUse() != HumanName.NameUse.OLD
                            && n.getUse() != HumanName.NameUse.MAIDEN;
                    default -> true;
                };
                if (found) {
                    return n;
                }
            }
        }
        return null;
    }

    /**
     * Telecom entries as the picker reads them: [own numbers, fallback numbers], as fhir.yaml's telecom says: each
     * system and use read as the HL7 code it stands for (so sms and use mobile become the markers the picker
     * trusts, CP and MOBILE); unlisted systems and skipped uses never take part. Ranked entries come first, lowest
     * rank first, as FHIR means rank.
     */
    static List<List<PhoneCandidate>> candidates(List<ContactPoint> telecom, FhirMapping.Telecom rules) {
        List<ContactPoint> sorted = new ArrayList<>(telecom);
        sorted.sort(Comparator.comparingInt(c -> c.hasRank() ? c.getRank() : Integer.MAX_VALUE));
        List<PhoneCandidate> own = new ArrayList<>();
        List<PhoneCandidate> fallback = new ArrayList<>();
        for (ContactPoint c : sorted) {
            String value = clean(c.getValue());
            String use = c.getUse() == null || c.getUse() == ContactPoint.ContactPointUse.NULL ? null
                    : c.getUse().toCode();
            if (value == null || use != null && rules.skipUses().contains(use)) {
                continue;
            }
            String system = c.getSystem() == null || c.getSystem() == ContactPoint.ContactPointSystem.NULL ? null
                    : c.getSystem().toCode();
            String equipment = system == null ? null : rules.systems().get(system);
            if (equipment == null) {
                continue; // not a number WhatsApp can reach (fax, pager, email, url, other)
            }
            PhoneCandidate pc = new PhoneCandidate(value, use == null ? null : rules.uses().get(use), equipment,
                    null, null, null, null, null);
            (use != null && rules.fallbackUses().contains(use) ? fallback : own).add(pc);
        }
        return List.of(own, fallback);
    }

    /**
     * The communication the first source finds (communication.preferred: the one marked preferred;
     * communication.first), as shipped the preferred one, else the first; its first coding's code, else its text.
     */
    static String language(Patient p, List<String> sources) {
        Patient.PatientCommunicationComponent chosen = null;
        for (String source : sources) {
            for (Patient.PatientCommunicationComponent c : p.getCommunication()) {
                if (chosen == null && (c.getPreferred() || source.equals("communication.first"))) {
                    chosen = c;
                }
            }
        }
        if (chosen == null) {
            return null;
        }
        CodeableConcept lang = chosen.getLanguage();
        String raw = lang.hasCoding() ? clean(lang.getCodingFirstRep().getCode()) : null;
        return LanguageCodes.iso639(raw != null ? raw : clean(lang.getText()));
    }

    /** "Given Family" as people read it: the name's text, else prefix, given names and family. */
    static String displayName(HumanName n) {
        if (n == null) {
            return null;
        }
        if (clean(n.getText()) != null) {
            return clean(n.getText());
        }
        List<String> parts = new ArrayList<>();
        for (StringType s : n.getPrefix()) parts.add(clean(s.getValue()));
        for (StringType s : n.getGiven()) parts.add(clean(s.getValue()));
        parts.add(clean(n.getFamily()));
        parts.removeIf(java.util.Objects::isNull);
        return parts.isEmpty() ? null : String.join(" ", parts);
    }

    /** The logical id a reference gives for the type ("Patient/1", "http://x/fhir/Patient/1/_history/2" → 1). */
    static String referencedId(Reference ref, String type) {
        if (ref == null || !ref.hasReference()) {
            return null;
        }
        org.hl7.fhir.r4.model.IdType id = new org.hl7.fhir.r4.model.IdType(ref.getReference());
        return type.equals(id.getResourceType()) && id.hasIdPart() ? id.getIdPart() : null;
    }

    static String clean(String s) {
        if (s == null) {
            return null;
        }
        String v = s.trim();
        return v.isEmpty() ? null : v;
    }

    static String clean(StringType s) {
        return s == null ? null : clean(s.getValue());
    }
}
