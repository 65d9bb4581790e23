package org.careline.ingest.fhir;

import org.careline.config.FhirMapping;
import org.careline.model.Site;
import org.careline.config.SiteDirectory;
import org.careline.contact.MobileNumberPicker;
import org.careline.model.AppointmentAction;
import org.careline.model.PhoneMarkers;
import org.careline.model.AppointmentEvent;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentParticipantComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.StringType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static org.careline.ingest.fhir.PatientDetails.clean;
import static org.careline.ingest.fhir.PatientDetails.referencedId;

/**
 * Reads a FHIR R4 Appointment (with the Patient, Location and Practitioners it references, as the caller fetched
 * them) into the same {@link AppointmentEvent} the SIU feed produces, plus a map pin for the location.
 *
 * <p>Status decides the action as mappings/fhir.yaml's appointmentStatuses says (as shipped: booked → BOOK, the
 * scheduler treating a changed start of a stored appointment as a reschedule; cancelled → CANCEL; entered-in-error
 * → DELETE; noshow → NO_SHOW; every other status has no messaging effect: empty). The patient's numbers are chosen
 * as its telecom says. Only patientInstruction is read for instructions: comment is staff-facing.
 */
public final class FhirAppointmentMapper {

    public static final String SOURCE = "FHIR";

    /** A mapped appointment and where to point the patient on a map (null when the location says neither). */
    public record Mapped(AppointmentEvent event, Pin pin) {
    }

    /**
     * A map pin for the location. Coordinates are null when the Location has no plausible position; the address
     * is kept alongside coordinates, as a WhatsApp location message shows both.
     */
    public record Pin(Double latitude, Double longitude, String name, String address) {
    }

    private final SiteDirectory sites;
    private final FhirMapping mapping;
    /** One picker per phone region: a site abroad reads its patients' national numbers in its own region. */
    private final Map<String, MobileNumberPicker> pickers = new ConcurrentHashMap<>();
    /** The codes that mark a mobile, a fax or pager (pieces.yaml's phones piece, named by fhir.yaml's telecom). */
    private final PhoneMarkers markers;

    public FhirAppointmentMapper(SiteDirectory sites, FhirMapping mapping) {
        this.sites = sites;
        this.mapping = mapping;
        this.markers = mapping.phoneMarkers();
    }

    /** The action an Appointment.status stands for; empty for statuses that change nothing for the patient. */
    public Optional<AppointmentAction> actionFor(Appointment.AppointmentStatus status) {
        if (status == null || status == Appointment.AppointmentStatus.NULL) {
            return Optional.empty();
        }
        return mapping.actionFor(status.toCode());
    }

    /**
     * @param a             the appointment
     * @param p             its patient as fetched, or null (then only the patient's id is known)
     * @param loc           its location as fetched, or null
     * @param practitioners its practitioners as fetched, in participant order; may be empty
     * @return the event, or empty when the status has no messaging effect
     * @throws UnmappableResourceException no Patient participant; the Patient given is another one; booked without
     *                                     a start — the route acknowledges and records these, nothing is sent
     */
    public Optional<Mapped> map(Appointment a, Patient p, Location loc, List<Practitioner> practitioners)
            throws UnmappableResourceException {
        Optional<AppointmentAction> action = actionFor(a.getStatus());
        if (action.isEmpty()) {
            return Optional.empty();
        }
        String appointmentId = a.getIdElement().getIdPart();
        if (appointmentId == null) {
            throw new UnmappableResourceException("Appointment has no id");
        }
        String patientId = participantId(a, "Patient");
        if (patientId == null) {
            throw new UnmappableResourceException("Appointment/" + appointmentId + " has no Patient participant");
        }
        if (p != null && p.getIdElement().getIdPart() != null && !patientId.equals(p.getIdElement().getIdPart())) {
            // Never message one patient about another's appointment.
            throw new UnmappableResourceException("Appointment/" + appointmentId + " names Patient/" + patientId
                    + ", not the Patient given");
        }
        Instant start = a.hasStart() ? a.getStart().toInstant() : null;
        if (start == null && action.get() == AppointmentAction.BOOK) {
            throw new UnmappableResourceException("Appointment/" + appointmentId + " is booked but has no start");
        }

        AppointmentParticipantComponent where = participant(a, "Location");
        Site site = sites.resolve(siteKeys(loc, where, mapping.sources("place", "site")));
        MobileNumberPicker phones = pickers.computeIfAbsent(site.phoneRegion(),
                region -> new MobileNumberPicker(region, markers));
        PatientDetails patient = PatientDetails.read(p, phones, mapping.telecom(),
                field -> mapping.sources("patient", field));

        Coding service = service(a);
        String serviceName = service == null ? null : clean(service.getDisplay());
        if (serviceName == null && a.hasServiceType()) {
            serviceName = clean(a.getServiceTypeFirstRep().getText());
        }
        String location = null;
        for (String source : mapping.sources("place", "name")) {
            location = location != null ? location : source.equals("location.name")
                    ? (loc == null ? null : clean(loc.getName()))
                    : (where == null ? null : clean(where.getActor().getDisplay()));
        }

        AppointmentEvent event = new AppointmentEvent(SOURCE, appointmentId, "FHIR:" + a.getStatus().toCode(),
                action.get(), start, duration(a, start), "FHIR|Patient/" + patientId, patient.givenName(),
                patient.familyName(), patient.phoneE164(), patient.language(), provider(a, practitioners),
                location, site.code(), service == null ? null : clean(service.getCode()), serviceName,
                clean(a.getPatientInstruction()),
                new AppointmentEvent.FeedReference(null, appointmentId, patientId, null, null));
        return Optional.of(new Mapped(event, pin(loc, mapping.sources("place", "pin"))));
    }

    /** The id of the first participant whose actor references the type. */
    private static String participantId(Appointment a, String type) {
        AppointmentParticipantComponent c = participant(a, type);
        return c == null ? null : referencedId(c.getActor(), type);
    }

    private static AppointmentParticipantComponent participant(Appointment a, String type) {
        for (AppointmentParticipantComponent c : a.getParticipant()) {
            if (referencedId(c.getActor(), type) != null) {
                return c;
            }
        }
        return null;
    }

    /**
     * What sites.yaml matches, in the order fhir.yaml's place.site lists it (as shipped: Location identifiers, name
     * and "Location/id"); the participant's display and reference only when the Location was not fetched.
     */
    private static List<String> siteKeys(Location loc, AppointmentParticipantComponent where, List<String> sources) {
        List<String> keys = new ArrayList<>();
        for (String source : sources) {
            switch (source) {
                case "location.identifier" -> {
                    if (loc != null) {
                        for (Identifier i : loc.getIdentifier()) {
                            keys.add(clean(i.getValue()));
                        }
                    }
                }
                case "location.name" -> keys.add(loc == null ? null : clean(loc.getName()));
                case "location.reference" -> keys.add(loc == null || loc.getIdElement().getIdPart() == null ? null
                        : "Location/" + loc.getIdElement().getIdPart());
                // Not fetched: what the reference itself says.
                case "participant.display" -> keys.add(loc != null || where == null ? null
                        : clean(where.getActor().getDisplay()));
                default -> keys.add(loc != null || where == null ? null
                        : "Location/" + referencedId(where.getActor(), "Location"));
            }
        }
        keys.removeIf(java.util.Objects::isNull);
        return keys;
    }

    /** serviceType[0].coding[0], else appointmentType.coding[0]. */
    private static Coding service(Appointment a) {
        if (a.hasServiceType() && a.getServiceTypeFirstRep().hasCoding()) {
            return a.getServiceTypeFirstRep().getCodingFirstRep();
        }
        CodeableConcept type = a.getAppointmentType();
        return type != null && type.hasCoding() ? type.getCodingFirstRep() : null;
    }

    private static Integer duration(Appointment a, Instant start) {
        if (start != null && a.hasEnd()) {
            Instant end = a.getEnd().toInstant();
            if (end.isAfter(start)) {
                return (int) Duration.between(start, end).toMinutes();
            }
        }
        return a.hasMinutesDuration() && a.getMinutesDuration() > 0 ? a.getMinutesDuration() : null;
    }

    /** The first practitioner's name; when none was fetched, the first Practitioner participant's display. */
    private static String provider(Appointment a, List<Practitioner> practitioners) {
        if (practitioners != null) {
            for (Practitioner pr : practitioners) {
                String name = pr == null ? null : PatientDetails.displayName(PatientDetails.name(pr.getName()));
                if (name != null) {
                    return name;
                }
            }
        }
        AppointmentParticipantComponent c = participant(a, "Practitioner");
        return c == null ? null : clean(c.getActor().getDisplay());
    }

    /**
     * Position when plausible, the address always when there is one. Ranges are checked, and a latitude beyond
     * ±80° is taken as swapped or wrong coordinates (no clinic is there): then the address alone places the pin.
     */
    static Pin pin(Location loc) {
        return pin(loc, FhirMapping.defaultSources("place", "pin"));
    }

    /** As {@link #pin(Location)}, reading only what fhir.yaml's place.pin lists (location.position, .address). */
    static Pin pin(Location loc, List<String> sources) {
        if (loc == null) {
            return null;
        }
        Double lat = null;
        Double lon = null;
        if (sources.contains("location.position") && loc.hasPosition() && loc.getPosition().hasLatitude() && loc.getPosition().hasLongitude()) {
            double la = loc.getPosition().getLatitude().doubleValue();
            double lo = loc.getPosition().getLongitude().doubleValue();
            if (Math.abs(la) <= 80 && Math.abs(lo) <= 180 && !(la == 0 && lo == 0)) {
                lat = la;
                lon = lo;
            }
        }
        String address = sources.contains("location.address") && loc.hasAddress() ? address(loc.getAddress()) : null;
        if (lat == null && address == null) {
            return null;
        }
        return new Pin(lat, lon, clean(loc.getName()), address);
    }

    /** The address's text, else lines, city, state, postal code and country, comma-separated. */
    static String address(Address a) {
        if (clean(a.getText()) != null) {
            return clean(a.getText());
        }
        List<String> parts = new ArrayList<>();
        for (StringType line : a.getLine()) {
            parts.add(clean(line.getValue()));
        }
        parts.add(clean(a.getCity()));
        String state = clean(a.getState());
        String postal = clean(a.getPostalCode());
        parts.add(state == null ? postal : postal == null ? state : state + " " + postal);
        parts.add(clean(a.getCountry()));
        parts.removeIf(java.util.Objects::isNull);
        return parts.isEmpty() ? null : String.join(", ", parts);
    }
}
