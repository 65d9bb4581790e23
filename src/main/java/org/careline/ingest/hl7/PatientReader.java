package org.careline.ingest.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.util.Terser;
import org.careline.config.Hl7Pieces;
import org.careline.config.Hl7Source;
import org.careline.config.SiteDirectory;
import org.careline.contact.LanguageCodes;
import org.careline.contact.MobileNumberPicker;
import org.careline.model.PhoneCandidate;
import org.careline.model.Site;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the patient the way the shared pieces say (mappings/pieces.yaml, as composed into siu.yaml and oru.yaml):
 * ids, name, language, site and the one number a WhatsApp message can go to. The SIU, ORU and MDM mappers all
 * read their patient here. Holds PHI: never log what it returns.
 */
final class PatientReader {

    /** The patient as read; id null when no source held one (the mapper says which error that is). */
    record Patient(String id, String authority, String givenName, String familyName, String language, Site site,
                   String phone) {
    }

    private final Hl7Fields fields;
    private final SiteDirectory sites;
    /** One picker per phone region: a site abroad reads its patients' national numbers in its own region. */
    private final Map<String, MobileNumberPicker> pickers = new ConcurrentHashMap<>();
    /** Where in XTN the number is and which codes mark what (pieces.yaml's phones piece). */
    private final Hl7Pieces.PhoneRules rules;

    PatientReader(Hl7Fields fields, SiteDirectory sites, Hl7Pieces.PhoneRules rules) {
        this.fields = fields;
        this.sites = sites;
        this.rules = rules;
    }

    Patient read(SegmentReads t) {
        Site site = sites.resolve(fields.all(t, "site"));
        List<List<PhoneCandidate>> lists = new ArrayList<>();
        for (Hl7Source s : fields.sources(Hl7Pieces.PHONES)) {
            lists.add(candidates(t, s, rules.number()));
        }
        String phone = pickers.computeIfAbsent(site.phoneRegion(), region -> new MobileNumberPicker(region,
                rules.markers())).pick(lists).orElse(null);
        return new Patient(fields.first(t, "patientId"), fields.first(t, "patientIdAuthority"),
                fields.first(t, "givenName"), fields.first(t, "familyName"),
                LanguageCodes.iso639(fields.first(t, "language")), site, phone);
    }

    /**
     * What the message says about the patient's consent: the hl7-patient piece's protection (PD1-12) and
     * consentStatus (CON-11), read the same way for SIU, ORU and MDM. Never fails a message.
     */
    org.careline.model.ConsentSignal consent(SegmentReads t) {
        return Hl7Consent.signal(fields.first(t, "protection"), fields.first(t, "consentStatus"));
    }

    /**
     * The numbers of a repeating XTN field: every repetition, or the one the source names.
     *
     * @param number the XTN components the number is read from, first non-empty wins
     */
    static List<PhoneCandidate> candidates(SegmentReads t, Hl7Source source, List<Integer> number) {
        List<PhoneCandidate> list = new ArrayList<>();
        try {
            Hl7Fields.Field f = Hl7Fields.field(t, source.path());
            if (f == null) {
                return list;
            }
            Type[] reps = f.segment().getField(f.number());
            int from = source.repetition() == null ? 0 : source.repetition() - 1;
            int to = source.repetition() == null ? reps.length : Math.min(reps.length, source.repetition());
            for (int r = from; r < to; r++) {
                list.add(candidate(f, r, number));
            }
        } catch (HL7Exception | RuntimeException e) {
            // no such segment: no numbers
        }
        return list;
    }

    private static PhoneCandidate candidate(Hl7Fields.Field f, int r, List<Integer> components)
            throws HL7Exception {
        String number = null;
        for (int c : components) {
            number = number != null ? number : xtn(f, r, c);
        }
        return new PhoneCandidate(number, xtn(f, r, 2), xtn(f, r, 3), xtn(f, r, 4),
                xtn(f, r, 5), xtn(f, r, 6), xtn(f, r, 7), xtn(f, r, 8));
    }

    private static String xtn(Hl7Fields.Field f, int rep, int component) throws HL7Exception {
        return Hl7Fields.clean(Terser.get(f.segment(), f.number(), rep, component, 1));
    }
}
