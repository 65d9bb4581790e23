package org.careline.ingest.hl7;

import org.careline.model.PatientFacts;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.util.Terser;
import org.careline.config.OruMapping;
import org.careline.config.SiteDirectory;
import org.careline.model.OrderFacts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an ORU^R01 (or an MDM) into who the patient is and, per order, the order key, effective-status inputs and
 * category codes — as mappings/oru.yaml says. Orders are found by walking the message's segments in order, so one
 * or many ORDER_OBSERVATION groups in any version's structure work the same. Nothing clinical is returned.
 */
public final class OruMapper {

    /** A mapped ORU: its patient and orders (effective status already judged). */
    public record Mapped(PatientFacts patient, List<OrderFacts> orders) {
    }

    private final OruMapping mapping;
    private final PatientReader patients;

    public OruMapper(OruMapping mapping, SiteDirectory sites) {
        this.mapping = mapping;
        this.patients = new PatientReader(new Hl7Fields(mapping::patient, mapping.datatypes()), sites,
                mapping.phoneRules());
    }

    public Set<String> triggers() {
        return new LinkedHashSet<>(mapping.triggers());
    }

    public Set<String> documentTriggers() {
        return new LinkedHashSet<>(mapping.documents().triggers());
    }

    public OruMapping mapping() {
        return mapping;
    }

    public Mapped map(ReceivedHl7 received) throws ApplicationErrorException, ApplicationRejectException {
        if (!mapping.triggers().contains(received.triggerEvent())) {
            throw new ApplicationRejectException("ORU trigger event '" + received.triggerEvent()
                    + "' is not accepted; accepted: ORU^" + String.join(", ORU^", mapping.triggers()), 201, "MSH", 9);
        }
        PatientFacts patient = patient(received);
        List<OrderFacts> orders = new ArrayList<>();
        for (List<Segment> group : orderGroups(received.message())) {
            String placer = first(group, mapping.order("placerOrderNumber"));
            String filler = first(group, mapping.order("fillerOrderNumber"));
            if (placer == null && filler == null) {
                throw new ApplicationErrorException("Required order number missing (looked in OBR-2, OBR-3)", 101,
                        "OBR", 3);
            }
            String key = (placer == null ? "" : placer) + "|" + (filler == null ? "" : filler);
            String status = org.careline.results.ResultReleasePolicy.effectiveStatus(
                    first(group, mapping.order("resultStatus")), all(group, mapping.order("observationStatus")));
            orders.add(new OrderFacts(key, status, first(group, mapping.order("orderCode")),
                    first(group, mapping.order("section")), new LinkedHashSet<>(all(group, mapping.order("producer"))),
                    null));
        }
        if (orders.isEmpty()) {
            throw new ApplicationErrorException("No order (OBR) in the message", 101, "OBR", 0);
        }
        return new Mapped(patient, orders);
    }

    /** The patient, site and mobile number, read as the pieces composed into oru.yaml say. */
    public PatientFacts patient(ReceivedHl7 received) throws ApplicationErrorException {
        PatientReader.Patient p = patients.read(new SegmentReads(received.message()));
        if (p.id() == null) {
            throw new ApplicationErrorException("Required patient id missing (looked in PID-3, PID-2)", 101, "PID", 3);
        }
        String source = received.header().sender();
        return new PatientFacts(source + "|" + (p.authority() == null ? "" : p.authority()) + "|" + p.id(), p.id(),
                p.authority(), p.givenName(), p.familyName(), p.phone(), p.language(), p.site().code());
    }

    /**
     * What a result or document message says about its patient's consent (PD1-12, CON-11), read by the same
     * patient piece as SIU: a protection indicator Y in an ORU or MDM also means never message this patient.
     */
    public org.careline.model.ConsentSignal consent(ReceivedHl7 received) {
        return patients.consent(new SegmentReads(received.message()));
    }

    /** The first non-empty value of message-level paths (the documents block of oru.yaml). */
    static String first(SegmentReads t, List<String> paths) {
        for (String p : paths) {
            try {
                String v = Hl7Fields.clean(t.get(p));
                if (v != null) {
                    return v;
                }
            } catch (HL7Exception | RuntimeException e) {
                // the path does not exist in this structure
            }
        }
        return null;
    }

    /** Order groups: a new group starts at an ORC, or at an OBR when the current group already has one. */
    static List<List<Segment>> orderGroups(Group message) {
        List<Segment> all = new ArrayList<>();
        collect(message, all);
        List<List<Segment>> groups = new ArrayList<>();
        List<Segment> current = null;
        boolean hasObr = false;
        for (Segment s : all) {
            String name = s.getName();
            if (name.equals("ORC") || (name.equals("OBR") && (current == null || hasObr))) {
                current = new ArrayList<>();
                groups.add(current);
                hasObr = false;
            }
            if (current == null) {
                continue; // MSH, PID, PV1 ... before the first order
            }
            current.add(s);
            hasObr |= name.equals("OBR");
        }
        groups.removeIf(g -> g.stream().noneMatch(s -> s.getName().equals("OBR")));
        return groups;
    }

    private static void collect(Group g, List<Segment> out) {
        for (String name : g.getNames()) {
            Structure[] reps;
            try {
                reps = g.getAll(name);
            } catch (HL7Exception e) {
                continue;
            }
            for (Structure s : reps) {
                if (s instanceof Segment seg) {
                    if (!isEmpty(seg)) {
                        out.add(seg);
                    }
                } else if (s instanceof Group child) {
                    collect(child, out);
                }
            }
        }
    }

    private static boolean isEmpty(Segment seg) {
        try {
            return seg.isEmpty();
        } catch (HL7Exception e) {
            return true;
        }
    }

    private static final java.util.regex.Pattern ORDER_PATH = java.util.regex.Pattern.compile(
            "([A-Z][A-Z0-9]{2})-(\\d+)(?:-(\\d+))?(?:-(\\d+))?");

    /** The first non-empty value of the paths in the group's segments. */
    static String first(List<Segment> group, List<String> paths) {
        for (String p : paths) {
            List<String> v = values(group, p, true);
            if (!v.isEmpty()) {
                return v.get(0);
            }
        }
        return null;
    }

    /** Every non-empty value of the paths in the group's segments. */
    static List<String> all(List<Segment> group, List<String> paths) {
        List<String> out = new ArrayList<>();
        for (String p : paths) {
            out.addAll(values(group, p, false));
        }
        return out;
    }

    private static List<String> values(List<Segment> group, String path, boolean firstOnly) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = ORDER_PATH.matcher(path);
        if (!m.matches()) {
            return out;
        }
        int field = Integer.parseInt(m.group(2));
        int comp = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
        int sub = m.group(4) == null ? 1 : Integer.parseInt(m.group(4));
        for (Segment s : group) {
            if (!s.getName().equals(m.group(1))) {
                continue;
            }
            try {
                if (field > s.numFields()) {
                    continue;
                }
                String v = Hl7Fields.clean(Terser.get(s, field, 0, comp, sub));
                if (v != null) {
                    out.add(v);
                    if (firstOnly) {
                        return out;
                    }
                }
            } catch (HL7Exception | RuntimeException e) {
                // not in this segment
            }
        }
        return out;
    }

    /** Keeps insertion order for readable logs of keys; used by tests. */
    static Map<String, String> keys(List<OrderFacts> orders) {
        Map<String, String> m = new LinkedHashMap<>();
        orders.forEach(o -> m.put(o.key(), o.status()));
        return m;
    }
}
