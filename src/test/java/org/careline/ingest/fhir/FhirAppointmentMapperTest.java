package org.careline.ingest.fhir;

import org.careline.config.FhirMapping;
import org.careline.config.SiteDirectory;
import org.careline.ingest.fhir.FhirAppointmentMapper.Mapped;
import org.careline.ingest.fhir.FhirAppointmentMapper.Pin;
import org.careline.model.AppointmentAction;
import org.careline.model.AppointmentEvent;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointUse;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FhirAppointmentMapperTest {

    @TempDir
    static Path dir;
    private static SiteDirectory sites;
    private static FhirAppointmentMapper mapper;

    @BeforeAll
    static void load() {
        sites = FhirFixtures.sites(dir);
        mapper = new FhirAppointmentMapper(sites, FhirMapping.load(Path.of("mappings")));
    }

    private static final Instant START = Instant.parse("2030-03-05T14:00:00Z");

    private static Appointment appointment(AppointmentStatus status) {
        Appointment a = new Appointment();
        a.setId("A1");
        a.setStatus(status);
        a.setStart(Date.from(START));
        a.setEnd(Date.from(START.plusSeconds(30 * 60)));
        a.addParticipant().setActor(new Reference("Patient/p1").setDisplay("Jane Doe"));
        a.addParticipant().setActor(new Reference("Practitioner/d1").setDisplay("Dr Display"));
        a.addParticipant().setActor(new Reference("Location/gh").setDisplay("GH Room 1"));
        return a;
    }

    private static Patient patient(String id) {
        Patient p = new Patient();
        p.setId(id);
        p.addName().setUse(HumanName.NameUse.OFFICIAL).setFamily("Doe").addGiven("Jane").addGiven("Q");
        return p;
    }

    private static Patient withPhones(Patient p, Object... systemUseValue) {
        for (int i = 0; i < systemUseValue.length; i += 3) {
            p.addTelecom().setSystem((ContactPointSystem) systemUseValue[i])
                    .setUse((ContactPointUse) systemUseValue[i + 1]).setValue((String) systemUseValue[i + 2]);
        }
        return p;
    }

    private static AppointmentEvent event(Appointment a, Patient p) throws Exception {
        return mapper.map(a, p, null, List.of()).orElseThrow().event();
    }

    // --- status → action ----------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"BOOKED,BOOK", "CANCELLED,CANCEL", "ENTEREDINERROR,DELETE", "NOSHOW,NO_SHOW"})
    void statusesThatMatterToThePatientGiveAnAction(AppointmentStatus status, AppointmentAction action)
            throws Exception {
        AppointmentEvent e = event(appointment(status), patient("p1"));
        assertThat(e.action()).isEqualTo(action);
        assertThat(e.eventCode()).isEqualTo("FHIR:" + status.toCode());
    }

    @ParameterizedTest
    @EnumSource(value = AppointmentStatus.class,
            names = {"PROPOSED", "PENDING", "WAITLIST", "ARRIVED", "CHECKEDIN", "FULFILLED", "NULL"})
    void otherStatusesHaveNoMessagingEffect(AppointmentStatus status) throws Exception {
        assertThat(mapper.map(appointment(status), patient("p1"), null, List.of())).isEmpty();
    }

    // --- what the event carries ---------------------------------------------------------------------------------

    @Test
    void aBookedAppointmentMapsLikeAnSiuBooking() throws Exception {
        Appointment a = appointment(AppointmentStatus.BOOKED);
        a.addServiceType().addCoding().setCode("CONS").setDisplay("Consultation");
        a.setPatientInstruction("Bring your medication list");
        a.setComment("Staff only: patient is hard of hearing");
        Location loc = new Location();
        loc.setId("gh");
        loc.setName("GH Clinic, Room 1");
        Practitioner doc = new Practitioner();
        doc.addName().setFamily("Smith").addGiven("Anna").addPrefix("Dr");
        Patient p = withPhones(patient("p1"), ContactPointSystem.PHONE, ContactPointUse.MOBILE, "608 271 9000");
        p.addCommunication().setLanguage(new org.hl7.fhir.r4.model.CodeableConcept().addCoding(
                new org.hl7.fhir.r4.model.Coding("urn:ietf:bcp:47", "es-MX", "Spanish")));

        Mapped m = mapper.map(a, p, loc, List.of(doc)).orElseThrow();
        assertThat(m.event()).isEqualTo(new AppointmentEvent("FHIR", "A1", "FHIR:booked", AppointmentAction.BOOK,
                START, 30, "FHIR|Patient/p1", "Jane", "Doe", "+16082719000", "es", "Dr Anna Smith",
                "GH Clinic, Room 1", "gh-clinic", "CONS", "Consultation", "Bring your medication list",
                new AppointmentEvent.FeedReference(null, "A1", "p1", null, null)));
        assertThat(m.pin()).isNull(); // the Location has neither position nor address
    }

    @Test
    void withoutFetchedResourcesTheReferencesDisplaysAreUsed() throws Exception {
        AppointmentEvent e = event(appointment(AppointmentStatus.BOOKED), null);
        assertThat(e.patientKey()).isEqualTo("FHIR|Patient/p1");
        assertThat(e.givenName()).isNull();
        assertThat(e.phoneE164()).isNull();
        assertThat(e.provider()).isEqualTo("Dr Display");
        assertThat(e.location()).isEqualTo("GH Room 1");
        assertThat(e.siteCode()).isEqualTo("gh-clinic"); // matched by "Location/gh"
    }

    @Test
    void durationComesFromEndMinusStartElseMinutesDuration() throws Exception {
        Appointment a = appointment(AppointmentStatus.BOOKED);
        a.setEnd(null);
        assertThat(event(a, null).durationMinutes()).isNull();
        a.setMinutesDuration(45);
        assertThat(event(a, null).durationMinutes()).isEqualTo(45);
    }

    @Test
    void serviceFallsBackToAppointmentTypeAndInstructionsNeverToComment() throws Exception {
        Appointment a = appointment(AppointmentStatus.BOOKED);
        a.getAppointmentType().addCoding().setCode("FOLLOWUP").setDisplay("A follow up visit");
        a.setComment("staff-facing");
        AppointmentEvent e = event(a, null);
        assertThat(e.serviceCode()).isEqualTo("FOLLOWUP");
        assertThat(e.serviceName()).isEqualTo("A follow up visit");
        assertThat(e.instructions()).isNull();
    }

    @Test
    void aCancellationNeedsNoStart() throws Exception {
        Appointment a = appointment(AppointmentStatus.CANCELLED);
        a.setStart(null);
        a.setEnd(null);
        assertThat(event(a, null).start()).isNull();
    }

    // --- what cannot be mapped ----------------------------------------------------------------------------------

    @Test
    void anAppointmentWithoutAPatientParticipantIsUnmappable() {
        Appointment a = appointment(AppointmentStatus.BOOKED);
        a.getParticipant().remove(0);
        assertThatThrownBy(() -> mapper.map(a, null, null, List.of()))
                .isInstanceOf(UnmappableResourceException.class)
                .hasMessage("Appointment/A1 has no Patient participant");
    }

    @Test
    void aPatientOtherThanTheOneNamedIsRefused() {
        assertThatThrownBy(() -> mapper.map(appointment(AppointmentStatus.BOOKED), patient("p2"), null, List.of()))
                .isInstanceOf(UnmappableResourceException.class).hasMessageContaining("Patient/p1")
                .hasMessageNotContaining("Jane");
    }

    @Test
    void aBookingWithoutStartIsUnmappable() {
        Appointment a = appointment(AppointmentStatus.BOOKED);
        a.setStart(null);
        assertThatThrownBy(() -> mapper.map(a, null, null, List.of()))
                .isInstanceOf(UnmappableResourceException.class).hasMessageContaining("no start");
    }

    // --- phone, name, language ----------------------------------------------------------------------------------

    @Test
    void theMobileIsPreferredWhereverItIsListed() throws Exception {
        Patient p = withPhones(patient("p1"),
                ContactPointSystem.PHONE, ContactPointUse.HOME, "(608) 271-9001",
                ContactPointSystem.EMAIL, ContactPointUse.HOME, "jane@example.org",
                ContactPointSystem.PHONE, ContactPointUse.MOBILE, "+1 608 271 9002");
        assertThat(event(appointment(AppointmentStatus.BOOKED), p).phoneE164()).isEqualTo("+16082719002");
    }

    @Test
    void anOldNumberIsNeverUsedAndAWorkNumberOnlyAsALastResort() throws Exception {
        Patient old = withPhones(patient("p1"), ContactPointSystem.PHONE, ContactPointUse.OLD, "+1 608 271 9003");
        assertThat(event(appointment(AppointmentStatus.BOOKED), old).phoneE164()).isNull();
        Patient work = withPhones(patient("p1"),
                ContactPointSystem.PHONE, ContactPointUse.WORK, "+1 608 271 9004",
                ContactPointSystem.FAX, ContactPointUse.HOME, "+1 608 271 9005");
        assertThat(event(appointment(AppointmentStatus.BOOKED), work).phoneE164()).isEqualTo("+16082719004");
        work.addTelecom().setSystem(ContactPointSystem.PHONE).setUse(ContactPointUse.HOME).setValue("+16082719006");
        assertThat(event(appointment(AppointmentStatus.BOOKED), work).phoneE164()).isEqualTo("+16082719006");
    }

    @Test
    void anSmsCapableNumberCountsAsMobileAndRankOrdersEntries() throws Exception {
        Patient p = patient("p1");
        // Both British mobiles; rank 1 wins although listed second.
        p.addTelecom().setSystem(ContactPointSystem.SMS).setValue("+44 7911 123451").setRank(2);
        p.addTelecom().setSystem(ContactPointSystem.SMS).setValue("+44 7911 123452").setRank(1);
        assertThat(event(appointment(AppointmentStatus.BOOKED), p).phoneE164()).isEqualTo("+447911123452");
    }

    @Test
    void theOfficialNameAndThePreferredLanguageAreRead() throws Exception {
        Patient p = new Patient();
        p.setId("p1");
        p.addName().setUse(HumanName.NameUse.USUAL).addGiven("Jo");
        p.addName().setUse(HumanName.NameUse.OFFICIAL).setFamily("Roe").addGiven("Joanna");
        p.addCommunication().setLanguage(new org.hl7.fhir.r4.model.CodeableConcept().setText("en"));
        p.addCommunication().setPreferred(true).setLanguage(new org.hl7.fhir.r4.model.CodeableConcept()
                .setText("Deutsch").addCoding(new org.hl7.fhir.r4.model.Coding("urn:ietf:bcp:47", "de-AT", null)));
        AppointmentEvent e = event(appointment(AppointmentStatus.BOOKED), p);
        assertThat(e.givenName()).isEqualTo("Joanna");
        assertThat(e.familyName()).isEqualTo("Roe");
        assertThat(e.language()).isEqualTo("de");

        p.getCommunication().get(1).setPreferred(false);
        assertThat(event(appointment(AppointmentStatus.BOOKED), p).language()).isEqualTo("en"); // first, by text
    }

    // --- pins ---------------------------------------------------------------------------------------------------

    @Test
    void aPinUsesThePositionAndKeepsTheAddress() {
        Location loc = new Location();
        loc.setName("GH Clinic");
        loc.getPosition().setLatitude(42.2808).setLongitude(-83.7430);
        loc.getAddress().addLine("1000 Hospital Lane").setCity("Ann Arbor").setState("MI").setPostalCode("48109");
        assertThat(FhirAppointmentMapper.pin(loc))
                .isEqualTo(new Pin(42.2808, -83.7430, "GH Clinic", "1000 Hospital Lane, Ann Arbor, MI 48109"));
        loc.getAddress().setText("1000 Hospital Lane, Ann Arbor");
        assertThat(FhirAppointmentMapper.pin(loc).address()).isEqualTo("1000 Hospital Lane, Ann Arbor");
    }

    @ParameterizedTest
    @CsvSource({"-83.69,42.26", "0,0", "95,10", "10,200"})
    void anImplausiblePositionLeavesTheAddressAlone(double lat, double lon) {
        Location loc = new Location();
        loc.getPosition().setLatitude(lat).setLongitude(lon);
        assertThat(FhirAppointmentMapper.pin(loc)).isNull();
        loc.getAddress().setCity("Ann Arbor");
        assertThat(FhirAppointmentMapper.pin(loc)).isEqualTo(new Pin(null, null, null, "Ann Arbor"));
    }

    // --- the shared corpus --------------------------------------------------------------------------------------

    private static Optional<Mapped> corpus(String appointment) throws Exception {
        Appointment a = FhirFixtures.r4(appointment);
        Patient p = null;
        Location loc = null;
        List<Practitioner> docs = new ArrayList<>();
        for (Appointment.AppointmentParticipantComponent c : a.getParticipant()) {
            String ref = c.getActor().getReference();
            if (ref == null) {
                continue;
            }
            String file = ref.replace('/', '-');
            if (ref.startsWith("Patient/")) p = FhirFixtures.r4(file);
            if (ref.startsWith("Location/")) loc = FhirFixtures.r4(file);
            if (ref.startsWith("Practitioner/")) {
                Practitioner pr = FhirFixtures.r4(file);
                if (pr != null) docs.add(pr); // Practitioner/f202 is not in the corpus
            }
        }
        return mapper.map(a, p, loc, docs);
    }

    @Test
    void corpusAppointmentExampleIsABookingAtTheDutchSiteWithNoReachableMobile() throws Exception {
        FhirFixtures.assumeCorpus();
        Mapped m = corpus("Appointment-example").orElseThrow();
        AppointmentEvent e = m.event();
        assertThat(e.action()).isEqualTo(AppointmentAction.BOOK);
        assertThat(e.start()).isEqualTo(Instant.parse("2013-12-10T09:00:00Z"));
        assertThat(e.durationMinutes()).isEqualTo(120);
        assertThat(e.patientKey()).isEqualTo("FHIR|Patient/example");
        assertThat(e.givenName()).isEqualTo("Peter");
        assertThat(e.familyName()).isEqualTo("Chalmers");
        // "(03) 3410 5613" (use mobile) is an Australian-style landline number: no region makes it a mobile, and
        // the picker never trusts a mobile marker on a landline. The work number is a landline too, the old one
        // is never used: the patient is unreachable (the scheduler records that).
        assertThat(e.phoneE164()).isNull();
        assertThat(e.language()).isNull();
        assertThat(e.provider()).isEqualTo("Dr Adam Careful");
        assertThat(e.location()).isEqualTo("South Wing, second floor");
        assertThat(e.siteCode()).isEqualTo("burgers"); // Location-1's identifier B1-S.F2
        assertThat(e.serviceCode()).isEqualTo("52");
        assertThat(e.serviceName()).isEqualTo("General Discussion");
        assertThat(e.instructions()).isNull(); // only a staff-facing comment
        assertThat(e.feed()).isEqualTo(new AppointmentEvent.FeedReference(null, "example", "example", null, null));
        assertThat(m.pin()).isEqualTo(new Pin(42.25475478, -83.6945691, "South Wing, second floor",
                "Galapagosweg 91, Building A, Den Burg, 9105 PZ, NLD"));
    }

    @Test
    void corpusPatientExampleHasNoWhatsAppNumberInAnyRegion() {
        FhirFixtures.assumeCorpus();
        Patient p = FhirFixtures.r4("Patient-example");
        for (String region : List.of("AU", "NL", "US", "GB")) {
            assertThat(PatientDetails.read(p, new org.careline.contact.MobileNumberPicker(region),
                    FhirMapping.load(Path.of("mappings")).telecom()).phoneE164())
                    .as(region).isNull();
        }
    }

    @Test
    void corpusAppointment2docsNamesTheFetchedPractitionerAndHasNoLocation() throws Exception {
        FhirFixtures.assumeCorpus();
        Mapped m = corpus("Appointment-2docs").orElseThrow();
        assertThat(m.event().action()).isEqualTo(AppointmentAction.BOOK);
        assertThat(m.event().provider()).isEqualTo("Dr Adam Careful");
        assertThat(m.event().location()).isNull(); // "Phone Call" is a display-only actor, not a Location
        assertThat(m.event().siteCode()).isEqualTo("main");
        assertThat(m.event().durationMinutes()).isEqualTo(120);
        assertThat(m.pin()).isNull();
    }

    @Test
    void corpusAppointmentExamplereqIsProposedAndChangesNothing() throws Exception {
        FhirFixtures.assumeCorpus();
        assertThat(corpus("Appointment-examplereq")).isEmpty();
    }

    /** Appointment-example, for another patient of the corpus (the example names Patient/example). */
    private static Mapped exampleFor(String patient) throws Exception {
        Appointment a = FhirFixtures.r4("Appointment-example");
        a.getParticipantFirstRep().getActor().setReference("Patient/" + patient);
        return mapper.map(a, FhirFixtures.r4("Patient-" + patient), FhirFixtures.r4("Location-1"), List.of())
                .orElseThrow();
    }

    @Test
    void corpusPatientF001sNationalMobileIsReadInTheSitesRegion() throws Exception {
        FhirFixtures.assumeCorpus();
        AppointmentEvent e = exampleFor("f001").event();
        assertThat(e.siteCode()).isEqualTo("burgers");
        assertThat(e.phoneE164()).isEqualTo("+31648352638"); // 0648352638 read as Dutch
        assertThat(e.language()).isEqualTo("nl");
        assertThat(e.givenName()).isEqualTo("Pieter");
        assertThat(e.familyName()).isEqualTo("van de Heuvel");
        // At the US default site the same national number is no number at all.
        Appointment a = FhirFixtures.r4("Appointment-example");
        a.getParticipantFirstRep().getActor().setReference("Patient/f001");
        assertThat(mapper.map(a, FhirFixtures.r4("Patient-f001"), null, List.of()).orElseThrow().event().phoneE164())
                .isNull();
    }

    @Test
    void corpusPatientF201sE164MobileAndLanguage() throws Exception {
        FhirFixtures.assumeCorpus();
        AppointmentEvent e = exampleFor("f201").event();
        assertThat(e.phoneE164()).isEqualTo("+31612345678"); // the mobile, not the home number
        assertThat(e.language()).isEqualTo("nl"); // nl-NL, as ISO 639-1 like the HL7 side
        assertThat(e.givenName()).isEqualTo("Roelof Olaf");
        assertThat(e.familyName()).isEqualTo("Bor");
    }

    @Test
    void corpusLocationPins() {
        FhirFixtures.assumeCorpus();
        // Location-1's position (Ann Arbor) contradicts its address (Den Burg); nothing pure can tell which is
        // right, so both go on the pin as given.
        assertThat(FhirAppointmentMapper.pin(FhirFixtures.r4("Location-1"))).isEqualTo(new Pin(42.25475478,
                -83.6945691, "South Wing, second floor", "Galapagosweg 91, Building A, Den Burg, 9105 PZ, NLD"));
        // Location-hl7 has latitude and longitude swapped (latitude -83.69 is in Antarctica): the address alone.
        assertThat(FhirAppointmentMapper.pin(FhirFixtures.r4("Location-hl7"))).isEqualTo(new Pin(null, null,
                "Health Level Seven International", "3300 Washtenaw Avenue, Suite 227, Ann Arbor, MI 48104, USA"));
    }
}
