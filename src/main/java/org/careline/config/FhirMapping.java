package org.careline.config;

import org.careline.model.AppointmentAction;
import org.careline.model.PhoneMarkers;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * mappings/fhir.yaml: the Subscriptions Careline keeps on the FHIR server, what each Appointment.status means, and
 * which of a Patient's telecom entries may get a message.
 */
public final class FhirMapping {

    /** R4 Appointment.status codes. */
    public static final Set<String> APPOINTMENT_STATUSES = Set.of("proposed", "pending", "booked", "arrived",
            "fulfilled", "cancelled", "noshow", "entered-in-error", "checked-in", "waitlist");
    /** What a status may mean: an action, or none (no messaging effect). */
    public static final Set<String> STATUS_MEANINGS = Set.of("book", "reschedule", "modify", "cancel", "delete",
            "no-show", "none");
    /** R4 ContactPoint.system and ContactPoint.use codes. */
    public static final Set<String> CONTACT_SYSTEMS = Set.of("phone", "fax", "email", "pager", "url", "sms", "other");
    public static final Set<String> CONTACT_USES = Set.of("home", "work", "temp", "old", "mobile");

    /** One Subscription: its name (how Careline finds it again), search criteria and payload. */
    public record Subscription(String name, String criteria, String payload) {
        public boolean fullResource() {
            return "full-resource".equals(payload);
        }
    }

    /**
     * How a Patient's ContactPoints become the telecom entries the number picker reads, as PID-13 and PID-14 are.
     *
     * @param systems      system code → the HL7 equipment type (XTN-3) it is read as; other systems never take part
     * @param uses         use code → the HL7 use code (XTN-2) it is read as; unlisted uses carry none
     * @param skipUses     uses never tried
     * @param fallbackUses uses tried only when no other entry has a usable number
     * @param markers      the piece of pieces.yaml whose mobileMarkers, neverMessage ... lists decide what the codes
     *                     above mean, so HL7 and FHIR numbers are judged by one list
     */
    public record Telecom(Map<String, String> systems, Map<String, String> uses, List<String> skipUses,
                          List<String> fallbackUses, String markers) {
    }

    /**
     * What a fhir.yaml written before these keys existed gets: the meanings Careline has always given (the shipped
     * file spells the same out).
     */
    static final Map<String, String> DEFAULT_STATUSES = Map.of("proposed", "none", "pending", "none",
            "booked", "book", "arrived", "none", "fulfilled", "none", "cancelled", "cancel", "noshow", "no-show",
            "entered-in-error", "delete", "checked-in", "none", "waitlist", "none");
    static final Telecom DEFAULT_TELECOM = new Telecom(Map.of("phone", "PH", "sms", "CP"),
            Map.of("mobile", "MOBILE", "home", "PRN", "work", "WPN", "temp", "ORN"), List.of("old"), List.of("work"),
            "hl7-phones");

    /** One place a FHIR mapper reads a value from: a name from the fixed vocabulary of {@link #SOURCES}. */
    public record Source(String source) {
    }

    /**
     * Where the FHIR mappers read each value, as the sources a section's field may list (no FHIRPath: a fixed
     * vocabulary Careline knows how to read), and what a file that leaves a field out gets: the order Careline has
     * always read them in.
     */
    public static final Map<String, Map<String, List<String>>> SOURCES = Map.of(
            "patient", Map.of(
                    "name", List.of("name.official", "name.current", "name.first"),
                    "language", List.of("communication.preferred", "communication.first"),
                    "phones", List.of("telecom.own", "telecom.fallback")),
            "place", Map.of(
                    "site", List.of("location.identifier", "location.name", "location.reference",
                            "participant.display", "participant.reference"),
                    "name", List.of("location.name", "participant.display"),
                    "pin", List.of("location.position", "location.address")),
            "report", Map.of(
                    "site", List.of("performer.identifier", "performer.display", "performer.reference")));

    /**
     * Which FHIR Consents speak about being messaged: a Consent counts when one of its scope codings is listed in
     * {@code scopes} and one of its category codings in {@code categories}; an empty list accepts anything. Each
     * entry is "system|code", or a bare code matching that code in any system.
     */
    public record ConsentCodes(List<String> scopes, List<String> categories) {

        /** True when the Consent's codings ("system|code") pass both lists. */
        public boolean accepts(java.util.Collection<String> scopeCodings,
                               java.util.Collection<String> categoryCodings) {
            return matches(scopes, scopeCodings) && matches(categories, categoryCodings);
        }

        private static boolean matches(List<String> wanted, java.util.Collection<String> codings) {
            if (wanted.isEmpty()) {
                return true;
            }
            for (String coding : codings) {
                String code = coding.substring(coding.indexOf('|') + 1);
                for (String w : wanted) {
                    if (w.contains("|") ? w.equals(coding) : w.equals(code)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** R4's scope of a privacy consent (consentscope): what a fhir.yaml without a consent section accepts. */
    static final ConsentCodes DEFAULT_CONSENT = new ConsentCodes(
            List.of("http://terminology.hl7.org/CodeSystem/consentscope|patient-privacy"), List.of());

    record File(List<Subscription> subscriptions, Map<String, String> appointmentStatuses, Telecom telecom,
                Map<String, List<Source>> patient, Map<String, List<Source>> place,
                Map<String, List<Source>> report, ConsentCodes consent) {
    }

    private final List<Subscription> subscriptions;
    private final Map<String, String> appointmentStatuses;
    private final Telecom telecom;
    private final PhoneMarkers phoneMarkers;
    /** section → field → source names in order, every field given (a field left out has the defaults). */
    private final Map<String, Map<String, List<String>>> sources;
    private final ConsentCodes consent;

    private FhirMapping(List<Subscription> subscriptions, Map<String, String> appointmentStatuses, Telecom telecom,
                        PhoneMarkers phoneMarkers, Map<String, Map<String, List<String>>> sources,
                        ConsentCodes consent) {
        this.consent = consent;
        this.subscriptions = subscriptions;
        this.appointmentStatuses = appointmentStatuses;
        this.telecom = telecom;
        this.phoneMarkers = phoneMarkers;
        this.sources = sources;
    }

    public static FhirMapping load(Path dir) {
        Path path = dir.resolve("fhir.yaml");
        File f = YamlFiles.read(path, File.class);
        List<Subscription> subs = f.subscriptions() == null ? List.of() : f.subscriptions();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < subs.size(); i++) {
            Subscription s = subs.get(i);
            String key = "subscriptions[" + i + "]";
            if (s.name() == null || !s.name().matches("[A-Za-z0-9-]{1,60}")) {
                throw YamlFiles.problem(path, key + ".name", "must be 1-60 letters, digits or dashes");
            }
            if (!names.add(s.name())) {
                throw YamlFiles.problem(path, key + ".name", "'" + s.name() + "' is used twice");
            }
            if (s.criteria() == null || !s.criteria().matches("(Appointment|DiagnosticReport|Consent)\\?\\S*")) {
                throw YamlFiles.problem(path, key + ".criteria", "must be a search on Appointment, "
                        + "DiagnosticReport or Consent, such as \"Appointment?\"");
            }
            if (!"full-resource".equals(s.payload()) && !"empty".equals(s.payload())) {
                throw YamlFiles.problem(path, key + ".payload", "must be full-resource or empty");
            }
        }
        Telecom telecom = telecom(path, f.telecom());
        PhoneMarkers markers = Hl7Pieces.load(dir).phoneRules(path, "telecom.markers", telecom.markers()).markers();
        Map<String, Map<String, List<String>>> sources = Map.of(
                "patient", sources(path, "patient", f.patient()),
                "place", sources(path, "place", f.place()),
                "report", sources(path, "report", f.report()));
        return new FhirMapping(List.copyOf(subs), statuses(path, f.appointmentStatuses()), telecom, markers, sources,
                consent(path, f.consent()));
    }

    private static ConsentCodes consent(Path path, ConsentCodes c) {
        if (c == null) {
            return DEFAULT_CONSENT;
        }
        return new ConsentCodes(codings(path, "consent.scopes", c.scopes()),
                codings(path, "consent.categories", c.categories()));
    }

    private static List<String> codings(Path path, String key, List<String> given) {
        List<String> list = given == null ? List.of() : given;
        for (int i = 0; i < list.size(); i++) {
            String v = list.get(i);
            if (v == null || !v.matches("([^|\\s]+\\|)?[^|\\s]+")) {
                throw YamlFiles.problem(path, key + "[" + i + "]", "'" + v + "' is not a coding: write system|code "
                        + "or a bare code");
            }
        }
        return List.copyOf(list);
    }

    /** A section's fields: each listed one checked against the vocabulary, the others as Careline always read them. */
    private static Map<String, List<String>> sources(Path path, String section, Map<String, List<Source>> given) {
        Map<String, List<String>> known = SOURCES.get(section);
        Map<String, List<String>> result = new java.util.HashMap<>(known);
        if (given == null) {
            return Map.copyOf(result);
        }
        given.forEach((field, list) -> {
            String key = section + "." + field;
            if (!known.containsKey(field)) {
                throw YamlFiles.problem(path, key, "unknown field; known: " + new java.util.TreeSet<>(known.keySet()));
            }
            if (list.isEmpty()) {
                throw YamlFiles.problem(path, key, "at least one source is required");
            }
            List<String> names = new java.util.ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                String name = list.get(i).source();
                if (name == null || !known.get(field).contains(name)) {
                    throw YamlFiles.problem(path, key + "[" + i + "].source", "'" + name + "' is not a source "
                            + section + "." + field + " can be read from; known: " + known.get(field));
                }
                names.add(name);
            }
            result.put(field, List.copyOf(names));
        });
        return Map.copyOf(result);
    }

    /**
     * The sources of one field, in order.
     *
     * @param section patient, place or report
     */
    public List<String> sources(String section, String field) {
        return sources.get(section).get(field);
    }

    /** What a mapper without a mapping reads: the defaults of {@link #SOURCES}. */
    public static List<String> defaultSources(String section, String field) {
        return SOURCES.get(section).get(field);
    }

    private static Map<String, String> statuses(Path path, Map<String, String> statuses) {
        if (statuses == null) {
            return DEFAULT_STATUSES;
        }
        if (statuses.isEmpty()) {
            throw YamlFiles.problem(path, "appointmentStatuses", "empty: leave it out for the defaults");
        }
        statuses.forEach((status, meaning) -> {
            String key = "appointmentStatuses." + status;
            if (!APPOINTMENT_STATUSES.contains(status)) {
                throw YamlFiles.problem(path, key, "not an R4 Appointment.status; known: "
                        + new java.util.TreeSet<>(APPOINTMENT_STATUSES));
            }
            if (!STATUS_MEANINGS.contains(meaning)) {
                throw YamlFiles.problem(path, key, "'" + meaning + "' is not one of "
                        + new java.util.TreeSet<>(STATUS_MEANINGS));
            }
        });
        return Map.copyOf(statuses);
    }

    private static Telecom telecom(Path path, Telecom t) {
        if (t == null) {
            return DEFAULT_TELECOM;
        }
        if (t.systems() == null || t.systems().isEmpty()) {
            throw YamlFiles.problem(path, "telecom.systems", "at least one system is required (e.g. phone: PH)");
        }
        codes(path, "telecom.systems", t.systems().keySet(), CONTACT_SYSTEMS);
        Map<String, String> uses = t.uses() == null ? Map.of() : t.uses();
        codes(path, "telecom.uses", uses.keySet(), CONTACT_USES);
        List<String> skip = t.skipUses() == null ? List.of() : t.skipUses();
        codes(path, "telecom.skipUses", skip, CONTACT_USES);
        List<String> fallback = t.fallbackUses() == null ? List.of() : t.fallbackUses();
        codes(path, "telecom.fallbackUses", fallback, CONTACT_USES);
        for (Map.Entry<String, String> e : t.systems().entrySet()) {
            marker(path, "telecom.systems." + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : uses.entrySet()) {
            marker(path, "telecom.uses." + e.getKey(), e.getValue());
        }
        String markers = t.markers() == null ? DEFAULT_TELECOM.markers() : t.markers();
        return new Telecom(Map.copyOf(t.systems()), Map.copyOf(uses), List.copyOf(skip), List.copyOf(fallback),
                markers);
    }

    /** A system or use is read as one HL7 code, matched against the markers piece's lists as a word. */
    private static void marker(Path path, String key, String code) {
        if (!code.matches("[A-Za-z0-9]+")) {
            throw YamlFiles.problem(path, key, "'" + code + "' is not one HL7 code such as CP or MOBILE");
        }
    }

    private static void codes(Path path, String key, java.util.Collection<String> codes, Set<String> known) {
        int i = 0;
        for (String code : codes) {
            if (!known.contains(code)) {
                String at = codes instanceof List ? key + "[" + i + "]" : key + "." + code;
                throw YamlFiles.problem(path, at, "'" + code + "' is not one of " + new java.util.TreeSet<>(known));
            }
            i++;
        }
    }

    /** The action an Appointment.status code stands for; empty for statuses that change nothing for the patient. */
    public Optional<AppointmentAction> actionFor(String status) {
        String meaning = status == null ? null : appointmentStatuses.get(status);
        return meaning == null || meaning.equals("none") ? Optional.empty()
                : Optional.of(AppointmentAction.fromWord(meaning));
    }

    public Telecom telecom() {
        return telecom;
    }

    /** The codes that mark a mobile, a fax or pager, an e-mail entry: the telecom.markers piece's lists. */
    public PhoneMarkers phoneMarkers() {
        return phoneMarkers;
    }

    /** Which FHIR Consents are about being messaged (fhir.yaml's consent section). */
    public ConsentCodes consent() {
        return consent;
    }

    public List<Subscription> subscriptions() {
        return subscriptions;
    }
}
