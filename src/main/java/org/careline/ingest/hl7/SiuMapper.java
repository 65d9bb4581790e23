package org.careline.ingest.hl7;

import org.careline.config.Hl7Datatype;
import org.careline.config.Hl7Source;
import org.careline.config.SiteDirectory;
import org.careline.config.SiuMapping;
import org.careline.model.AppointmentAction;
import org.careline.model.AppointmentEvent;
import org.careline.model.ConsentSignal;
import org.careline.model.Site;
import org.careline.names.ProviderNames;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an SIU message into an {@link AppointmentEvent}, field by field as mappings/siu.yaml says, trying each
 * field's sources in order; the patient is read as the shared pieces say ({@link PatientReader}). Nothing here
 * knows a segment layout: a feed's quirk is a mapping change.
 */
public final class SiuMapper {

    private final SiuMapping mapping;
    private final Hl7Fields fields;
    private final PatientReader patients;

    public SiuMapper(SiuMapping mapping, SiteDirectory sites) {
        this.mapping = mapping;
        this.fields = new Hl7Fields(mapping::sources, mapping.datatypes());
        this.patients = new PatientReader(fields, sites, mapping.phoneRules());
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
        PatientReader.Patient patient = patients.read(t);
        if (patient.id() == null) {
            throw missing("patientId", "patient id");
        }
        Site site = patient.site();

        Instant start = time(t, "start", site);
        boolean needsStart = action == AppointmentAction.BOOK || action == AppointmentAction.RESCHEDULE
                || action == AppointmentAction.MODIFY;
        if (start == null && needsStart) {
            throw missing("start", "appointment start time");
        }
        Integer duration = duration(t, start, site);

        String source = received.header().sender();
        String authority = patient.authority();
        String patientKey = source + "|" + (authority == null ? "" : authority) + "|" + patient.id();
        return new AppointmentEvent(source, externalId, received.triggerEvent(), action, start, duration,
                patientKey, patient.givenName(), patient.familyName(), patient.phone(), patient.language(),
                provider(t, patient.language(), site), fields.first(t, "location"), site.code(), fields.first(t, "serviceCode"),
                fields.first(t, "serviceName"), fields.first(t, "instructions"),
                new AppointmentEvent.FeedReference(fields.first(t, "placerId"), fields.first(t, "fillerId"),
                        patient.id(), authority, received.header().version()));
    }

    /**
     * What the message says about the patient's consent (pieces.yaml protection and consentStatus). Read apart from
     * {@link #map} so the appointment event stays as it was; nothing here fails a message.
     */
    public ConsentSignal consent(ReceivedHl7 received) {
        SegmentReads t = new SegmentReads(received.message());
        return patients.consent(t);
    }

    private String required(SegmentReads t, String field, String what) throws ApplicationErrorException {
        String v = fields.first(t, field);
        if (v == null) {
            throw missing(field, what);
        }
        return v;
    }

    /** AE naming the first place the mapping looks for the field, e.g. SCH-2. */
    private ApplicationErrorException missing(String field, String what) {
        String segment = null;
        int fieldNo = 0;
        StringJoiner tried = new StringJoiner(", ");
        for (Hl7Source s : mapping.sources(field)) {
            Matcher m = Hl7Fields.FIELD_PATH.matcher(stripComponents(s.path()));
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

    /** The first source whose value is a time as precise as its datatype asks, read in the datatype's zone. */
    /**
     * The provider's name as the patient will read it: the first source naming a real person, in proper case and
     * in the order of the patient's language (the site's when the feed gives none); null when no source does, so
     * the message goes with the template variant that names no provider.
     */
    private String provider(SegmentReads t, String patientLanguage, Site site) {
        String language = patientLanguage != null ? patientLanguage : site.language();
        return ProviderNames.display(fields.names(t, "provider"), language).orElse(null);
    }

    private Instant time(SegmentReads t, String field, Site site) {
        for (Hl7Source s : mapping.sources(field)) {
            String v = fields.read(t, s);
            if (v != null) {
                Hl7Datatype d = fields.datatype(s, SiuMapping.TIME);
                Optional<Instant> parsed = Hl7Time.parse(v, d.zone(site.zone()), d.minimumParts());
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
        for (Hl7Source s : mapping.sources("duration")) {
            String v = fields.read(t, s);
            if (v == null) {
                continue;
            }
            try {
                double amount = Double.parseDouble(v);
                String units = s.units() == null ? null : fields.read(t, Hl7Source.text(s.units()));
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

    /** "/.PID-3-4-1" → "/.PID-3" */
    private static String stripComponents(String path) {
        Matcher m = Pattern.compile("(.*?[A-Z][A-Z0-9]{2}(?:\\(\\d+\\))?-\\d+(?:\\(\\d+\\))?).*").matcher(path);
        return m.matches() ? m.group(1) : path;
    }
}
