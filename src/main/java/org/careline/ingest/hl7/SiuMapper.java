package org.careline.ingest.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.util.Terser;
import org.careline.config.SiteDirectory;
import org.careline.model.Site;
import org.careline.config.SiuMapping;
import org.careline.config.SiuMapping.Source;
import org.careline.contact.MobileNumberPicker;
import org.careline.model.PhoneCandidate;
import org.careline.model.AppointmentAction;
import org.careline.model.AppointmentEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an SIU message into an {@link AppointmentEvent}, field by field as mappings/siu.yaml says, trying each
 * field's sources in order. Nothing here knows a segment layout: a feed's quirk is a mapping change.
 */
public final class SiuMapper {

    private static final Pattern FIELD_PATH = Pattern.compile("(.*?[A-Z][A-Z0-9]{2}(?:\\(\\d+\\))?)-(\\d+)(?:\\((\\d+)\\))?$");

    private final SiuMapping mapping;
    private final SiteDirectory sites;
    /** One picker per phone region: a site abroad reads its patients' national numbers in its own region. */
    private final Map<String, MobileNumberPicker> pickers = new ConcurrentHashMap<>();

    public SiuMapper(SiuMapping mapping, SiteDirectory sites) {
        this.mapping = mapping;
        this.sites = sites;
    }

    /** The action a trigger event stands for, or empty if mappings/siu.yaml does not list it. */
    public Optional<AppointmentAction> actionFor(String trigger) {
        String word = mapping.triggers().get(trigger);
        return word == null ? Optional.empty() : Optional.of(AppointmentAction.fromWord(word));
    }

    public java.util.Set<String> triggers() {
        return mapping.triggers().keySet();
    }

    public AppointmentEvent map(ReceivedHl7 received) throws ApplicationErrorException, ApplicationRejectException {
        AppointmentAction action = actionFor(received.triggerEvent()).orElseThrow(() ->
                new ApplicationRejectException("SIU trigger event '" + received.triggerEvent()
                        + "' is not accepted; accepted: SIU^" + String.join(", SIU^", triggers()), 201, "MSH", 9));
        SegmentReads t = new SegmentReads(received.message());

        String externalId = required(t, "appointmentId", "appointment id");
        String patientId = required(t, "patientId", "patient id");
        String authority = first(t, "patientIdAuthority");

        List<String> siteKeys = all(t, "site");
        Site site = sites.resolve(siteKeys);

        Instant start = time(t, "start", site);
        boolean needsStart = action == AppointmentAction.BOOK || action == AppointmentAction.RESCHEDULE
                || action == AppointmentAction.MODIFY;
        if (start == null && needsStart) {
            throw missing("start", "appointment start time");
        }
        Integer duration = duration(t, start, site);

        MobileNumberPicker phones = pickers.computeIfAbsent(site.phoneRegion(), MobileNumberPicker::new);
        String phone = phones.pick(candidates(t, mapping.phones().get("primary")),
                candidates(t, mapping.phones().get("fallback"))).orElse(null);

        String source = received.header().sender();
        String patientKey = source + "|" + (authority == null ? "" : authority) + "|" + patientId;
        return new AppointmentEvent(source, externalId, received.triggerEvent(), action, start, duration,
                patientKey, first(t, "givenName"), first(t, "familyName"), phone, language(first(t, "language")),
                first(t, "provider"), first(t, "location"), site.code(), first(t, "serviceCode"),
                first(t, "serviceName"), first(t, "instructions"),
                new AppointmentEvent.FeedReference(first(t, "placerId"), first(t, "fillerId"), patientId, authority,
                        received.header().version()));
    }

    private String required(SegmentReads t, String field, String what) throws ApplicationErrorException {
        String v = first(t, field);
        if (v == null) {
            throw missing(field, what);
        }
        return v;
    }

    /** AE naming the first place the mapping looks for the field, e.g. SCH-2. */
    private ApplicationErrorException missing(String field, String what) {
        List<Source> sources = mapping.sources(field);
        String segment = null;
        int fieldNo = 0;
        StringJoiner tried = new StringJoiner(", ");
        for (Source s : sources) {
            Matcher m = FIELD_PATH.matcher(stripComponents(s.path()));
            if (m.matches()) {
                String seg = m.group(1).replaceAll("^[/.]+", "").replaceAll("\\(\\d+\\)", "");
                tried.add(seg.substring(seg.lastIndexOf('/') + 1) + "-" + m.group(2));
                if (segment == null) {
                    segment = seg.substring(seg.lastIndexOf('/') + 1);
                    fieldNo = Integer.parseInt(m.group(2));
                }
            }
        }
        return new ApplicationErrorException("Required " + what + " missing (looked in " + tried + ")", 101,
                segment, fieldNo);
    }

    /** The first non-empty value among the field's sources. */
    private String first(SegmentReads t, String field) {
        for (Source s : mapping.sources(field)) {
            String v = read(t, s);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** Every non-empty value among the field's sources, in order. */
    private List<String> all(SegmentReads t, String field) {
        List<String> values = new ArrayList<>();
        for (Source s : mapping.sources(field)) {
            String v = read(t, s);
            if (v != null) {
                values.add(v);
            }
        }
        return values;
    }

    private Instant time(SegmentReads t, String field, Site site) {
        for (Source s : mapping.sources(field)) {
            String v = read(t, s);
            if (v != null) {
                Optional<Instant> parsed = Hl7Time.parse(v, site.zone());
                if (parsed.isPresent()) {
                    return parsed.get();
                }
            }
        }
        return null;
    }

    private Integer duration(SegmentReads t, Instant start, Site site) {
        Instant end = time(t, "end", site);
        if (start != null && end != null && end.isAfter(start)) {
            return (int) Duration.between(start, end).toMinutes();
        }
        for (Source s : mapping.sources("duration")) {
            String v = read(t, s);
            if (v == null) {
                continue;
            }
            try {
                double amount = Double.parseDouble(v);
                String units = s.units() == null ? null : read(t, new Source(s.units(), null, null, null));
                Integer minutes = minutes(amount, units);
                if (minutes != null && minutes > 0) {
                    return minutes;
                }
            } catch (NumberFormatException ignored) {
                // not a number: try the next source
            }
        }
        return null;
    }

    private static Integer minutes(double amount, String units) {
        String u = units == null ? "MIN" : units.trim().toUpperCase(Locale.ROOT);
        if (u.isEmpty() || u.startsWith("MIN") || u.equals("M")) return (int) Math.round(amount);
        if (u.startsWith("H")) return (int) Math.round(amount * 60);
        if (u.startsWith("S")) return (int) Math.round(amount / 60);
        if (u.startsWith("D")) return (int) Math.round(amount * 1440);
        return null;
    }

    /** Reads one source: a Terser path, rendered as the source's format says. Absent or unreadable → null. */
    private String read(SegmentReads t, Source s) {
        try {
            String value = switch (s.format()) {
                case "person" -> composite(t, s.path(), 6, 3, 2);
                case "name" -> composite(t, s.path(), 5, 2, 1);
                case "place" -> place(t, s.path());
                default -> s.allRepetitions() ? repetitions(t, s.path()) : t.get(s.path());
            };
            return clean(value);
        } catch (HL7Exception | RuntimeException e) {
            // The path does not exist in this message's structure: not an error, just no value here.
            return null;
        }
    }

    /** Joins the given components (prefix, given, family) of an XCN/XPN-like field. */
    private String composite(SegmentReads t, String path, int... components) throws HL7Exception {
        Field f = field(t, path);
        if (f == null) {
            return null;
        }
        StringJoiner j = new StringJoiner(" ");
        for (int c : components) {
            String part = clean(Terser.get(f.segment, f.number, f.rep, c, 1));
            if (part != null) {
                j.add(part);
            }
        }
        return j.length() == 0 ? null : j.toString();
    }

    /** A PL field as "point of care room, facility". */
    private String place(SegmentReads t, String path) throws HL7Exception {
        Field f = field(t, path);
        if (f == null) {
            return null;
        }
        String poc = clean(Terser.get(f.segment, f.number, f.rep, 1, 1));
        String room = clean(Terser.get(f.segment, f.number, f.rep, 2, 1));
        String facility = clean(Terser.get(f.segment, f.number, f.rep, 4, 1));
        StringJoiner j = new StringJoiner(", ");
        String unit = poc == null ? room : room == null ? poc : poc + " " + room;
        if (unit != null) j.add(unit);
        if (facility != null) j.add(facility);
        return j.length() == 0 ? null : j.toString();
    }

    /** The path read from every repetition of its segment ("/NTE-3" → NTE(0)-3, NTE(1)-3, ...), joined. */
    private String repetitions(SegmentReads t, String path) {
        int dash = path.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String segPath = path.substring(0, dash);
        String rest = path.substring(dash);
        StringJoiner j = new StringJoiner(" ");
        for (int i = 0; i < 50; i++) {
            try {
                String v = clean(t.get(segPath + "(" + i + ")" + rest));
                if (v == null) {
                    break;
                }
                j.add(v);
            } catch (HL7Exception | RuntimeException e) {
                break;
            }
        }
        return j.length() > 0 ? j.toString() : null;
    }

    /** The numbers of a repeating XTN field (shared with the ORU/MDM mappers). */
    static List<PhoneCandidate> candidates(SegmentReads t, SiuMapping.PhoneField pf) {
        List<PhoneCandidate> list = new ArrayList<>();
        if (pf == null) {
            return list;
        }
        try {
            Segment seg = t.segment(pf.segment());
            Type[] reps = seg.getField(pf.field());
            for (int r = 0; r < reps.length; r++) {
                String number = clean(Terser.get(seg, pf.field(), r, 1, 1));
                String unformatted = clean(Terser.get(seg, pf.field(), r, 12, 1));
                list.add(new PhoneCandidate(number != null ? number : unformatted,
                        clean(Terser.get(seg, pf.field(), r, 2, 1)), clean(Terser.get(seg, pf.field(), r, 3, 1)),
                        clean(Terser.get(seg, pf.field(), r, 4, 1)), clean(Terser.get(seg, pf.field(), r, 5, 1)),
                        clean(Terser.get(seg, pf.field(), r, 6, 1)), clean(Terser.get(seg, pf.field(), r, 7, 1)),
                        clean(Terser.get(seg, pf.field(), r, 8, 1))));
            }
        } catch (HL7Exception | RuntimeException e) {
            // no such segment: no numbers
        }
        return list;
    }

    private record Field(Segment segment, int number, int rep) {
    }

    private static Field field(SegmentReads t, String path) throws HL7Exception {
        Matcher m = FIELD_PATH.matcher(path);
        if (!m.matches()) {
            return null;
        }
        Segment seg = t.segment(m.group(1));
        int rep = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return new Field(seg, Integer.parseInt(m.group(2)), rep);
    }

    /** "/.PID-3-4-1" → "/.PID-3" */
    private static String stripComponents(String path) {
        Matcher m = Pattern.compile("(.*?[A-Z][A-Z0-9]{2}(?:\\(\\d+\\))?-\\d+(?:\\(\\d+\\))?).*").matcher(path);
        return m.matches() ? m.group(1) : path;
    }

    /**
     * Language codes as feeds send them (en, EN, eng, en-US, "ara^...") → ISO 639-1 where one exists. Public so the
     * FHIR mappers read a language the same way.
     */
    private static final Map<String, String> ISO_639_1_BY_639_2 = iso639();

    private static Map<String, String> iso639() {
        Map<String, String> m = new java.util.HashMap<>();
        for (String iso : Locale.getISOLanguages()) {
            m.putIfAbsent(new Locale(iso).getISO3Language(), iso);
        }
        return Map.copyOf(m);
    }

    public static String language(String raw) {
        if (raw == null) {
            return null;
        }
        String code = raw.trim().toLowerCase(Locale.ROOT).split("[-_]")[0];
        if (code.length() == 3) {
            String iso = ISO_639_1_BY_639_2.get(code);
            if (iso != null) {
                return iso;
            }
        }
        return code.isEmpty() ? null : code;
    }

    static String clean(String s) {
        if (s == null) {
            return null;
        }
        String v = Hl7Text.plain(s).trim();
        // HL7's explicit null ("") means "no value" to Careline.
        return v.isEmpty() || v.equals("\"\"") ? null : v;
    }
}
