package org.careline.ingest.hl7;

import org.careline.config.SiteDirectory;
import org.careline.config.SiuMapping;
import org.careline.model.AppointmentAction;
import org.careline.model.AppointmentEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SiuMapper against mappings/siu.yaml and mappings/sites.yaml, without a network: message text in, event out. */
class SiuMapperTest {

    private static final SiuMapping MAPPING = SiuMapping.load(Path.of("mappings"));
    private static final SiteDirectory SITES =
            SiteDirectory.load(Path.of("mappings"), ZoneId.of("America/New_York"), "US");
    private static final SiuMapper US = new SiuMapper(MAPPING, SITES);

    /** An SIU message as segment lines, each replaceable; starts as a complete v2.5 S12 booking at GH Clinic. */
    private static final class Msg {
        private final List<String> lines = new ArrayList<>(List.of(
                "MSH|^~\\&|EHR|HOSP|CARELINE|CL|20260101120000||SIU^S12|C1|P|2.5",
                "SCH|PL1|FL1|||||ROUTINE|NORMAL|||^^^20300305140000",
                "PID|1||MRN1^^^HOSP^MR||DOE^JANE||19800101|F|||||^PRN^CP^^1^608^2719000||en",
                "RGS|1",
                "AIS|1||CONS^Consultation",
                "AIL|1||ROOM1^^^GH Clinic",
                "AIP|1||D1^SMITH^ANNA^^^DR"));

        /** Replaces the first segment with this name; null removes it. */
        Msg set(String name, String line) {
            int i = indexOf(name);
            if (line == null) {
                lines.remove(i);
            } else {
                lines.set(i, line);
            }
            return this;
        }

        Msg after(String name, String... newLines) {
            lines.addAll(indexOf(name) + 1, List.of(newLines));
            return this;
        }

        Msg trigger(String trigger) {
            lines.set(0, lines.get(0).replace("SIU^S12", "SIU^" + trigger));
            return this;
        }

        Msg version(String version) {
            lines.set(0, lines.get(0).replace("|P|2.5", "|P|" + version));
            return this;
        }

        Msg facility(String facility) {
            return set("AIL", "AIL|1||ROOM1^^^" + facility);
        }

        Msg start(String start) {
            return set("SCH", "SCH|PL1|FL1|||||ROUTINE|NORMAL|||^^^" + start);
        }

        Msg pidTelecom(String home, String business) {
            return set("PID", "PID|1||MRN1^^^HOSP^MR||DOE^JANE||19800101|F|||||" + home + "|" + business + "|en");
        }

        private int indexOf(String name) {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith(name + "|")) {
                    return i;
                }
            }
            throw new IllegalArgumentException("no " + name + " segment");
        }

        String text() {
            return String.join("\r", lines);
        }
    }

    private static Msg msg() {
        return new Msg();
    }

    private static AppointmentEvent map(Msg m) throws Exception {
        return map(US, m);
    }

    private static AppointmentEvent map(SiuMapper mapper, Msg m) throws Exception {
        return mapper.map(new Hl7Receiver().parse(m.text().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void completeBooking() throws Exception {
        AppointmentEvent e = map(msg());
        assertThat(e.source()).isEqualTo("EHR|HOSP");
        assertThat(e.externalId()).isEqualTo("FL1");
        assertThat(e.eventCode()).isEqualTo("S12");
        assertThat(e.action()).isEqualTo(AppointmentAction.BOOK);
        assertThat(e.start()).isEqualTo(Instant.parse("2030-03-05T19:00:00Z"));
        assertThat(e.durationMinutes()).isNull();
        assertThat(e.patientKey()).isEqualTo("EHR|HOSP|HOSP|MRN1");
        assertThat(e.givenName()).isEqualTo("JANE");
        assertThat(e.familyName()).isEqualTo("DOE");
        assertThat(e.phoneE164()).isEqualTo("+16082719000");
        assertThat(e.language()).isEqualTo("en");
        assertThat(e.provider()).isEqualTo("Dr Anna Smith");
        assertThat(e.location()).isEqualTo("ROOM1, GH Clinic");
        assertThat(e.siteCode()).isEqualTo("gh-clinic");
        assertThat(e.serviceCode()).isEqualTo("CONS");
        assertThat(e.serviceName()).isEqualTo("Consultation");
        assertThat(e.instructions()).isNull();
    }

    // --- appointment id ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "SCH-1 \"{0}\", SCH-2 \"{1}\" -> {2}")
    @CsvSource(textBlock = """
            PL1,  FL1,  FL1
            '',   FL1,  FL1
            PL1,  '',   PL1
            PL1,  '""', PL1
            PL1^PLACER-APP, FL7^FILLER-APP, FL7
            """)
    void appointmentIdIsSch2ElseSch1(String sch1, String sch2, String expected) throws Exception {
        AppointmentEvent e = map(msg().set("SCH", "SCH|" + sch1 + "|" + sch2 + "|||||ROUTINE|NORMAL|||^^^20300305140000"));
        assertThat(e.externalId()).isEqualTo(expected);
    }

    @Test
    void missingAppointmentIdIsAnApplicationErrorNamingSch2() {
        Msg m = msg().set("SCH", "SCH|||||||ROUTINE|NORMAL|||^^^20300305140000");
        assertThatThrownBy(() -> map(m)).isInstanceOfSatisfying(ApplicationErrorException.class, e -> {
            assertThat(e.ackCode()).isEqualTo("AE");
            assertThat(e.errorCode()).isEqualTo(101);
            assertThat(e.segment()).isEqualTo("SCH");
            assertThat(e.field()).isEqualTo(2);
            assertThat(e.getMessage()).contains("SCH-2", "SCH-1").doesNotContain("JANE", "MRN1");
        });
    }

    @Test
    void missingPatientIdIsAnApplicationErrorNamingPid3() {
        Msg m = msg().set("PID", "PID|1||||DOE^JANE");
        assertThatThrownBy(() -> map(m)).isInstanceOfSatisfying(ApplicationErrorException.class, e -> {
            assertThat(e.segment()).isEqualTo("PID");
            assertThat(e.field()).isEqualTo(3);
        });
    }

    // --- start ------------------------------------------------------------------------------------------------

    @Test
    void startFromTq1WinsOverAisSchAndAil() throws Exception {
        Msg m = msg().start("20300305140000")
                .after("SCH", "TQ1|1||||||20300305160000")
                .set("AIS", "AIS|1||CONS^Consultation|20300305150000")
                .set("AIL", "AIL|1||ROOM1^^^GH Clinic|||20300305170000");
        assertThat(map(m).start()).isEqualTo(Instant.parse("2030-03-05T21:00:00Z"));
    }

    @Test
    void startFromAis4WhenThereIsNoTq1() throws Exception {
        Msg m = msg().start("20300305140000")
                .set("AIS", "AIS|1||CONS^Consultation|20300305150000")
                .set("AIL", "AIL|1||ROOM1^^^GH Clinic|||20300305170000");
        assertThat(map(m).start()).isEqualTo(Instant.parse("2030-03-05T20:00:00Z"));
    }

    @Test
    void startFromSch11WhenThereIsNoTq1OrAis4() throws Exception {
        Msg m = msg().start("20300305140000").set("AIL", "AIL|1||ROOM1^^^GH Clinic|||20300305170000");
        assertThat(map(m).start()).isEqualTo(Instant.parse("2030-03-05T19:00:00Z"));
    }

    @Test
    void startFromAil6Last() throws Exception {
        Msg m = msg().start("").set("AIL", "AIL|1||ROOM1^^^GH Clinic|||20300305170000");
        assertThat(map(m).start()).isEqualTo(Instant.parse("2030-03-05T22:00:00Z"));
    }

    @Test
    void unreadableStartFallsThroughToTheNextSource() throws Exception {
        Msg m = msg().start("20300305140000").after("SCH", "TQ1|1||||||20301305160000");
        assertThat(map(m).start()).isEqualTo(Instant.parse("2030-03-05T19:00:00Z"));
    }

    @ParameterizedTest(name = "{0} at {1} -> {2}")
    @CsvSource(textBlock = """
            20300305140000,       GH Clinic,       2030-03-05T19:00:00Z
            20300705140000,       GH Clinic,       2030-07-05T18:00:00Z
            20300305140000,       RNJ ROYALLONDON, 2030-03-05T14:00:00Z
            20300705140000,       RNJ ROYALLONDON, 2030-07-05T13:00:00Z
            20300305140000,       Elsewhere,       2030-03-05T19:00:00Z
            20300305140000-0500,  RNJ ROYALLONDON, 2030-03-05T19:00:00Z
            20300305140000+0100,  GH Clinic,       2030-03-05T13:00:00Z
            20300305140000+0000,  GH Clinic,       2030-03-05T14:00:00Z
            """)
    void startWithoutOffsetIsLocalToTheSiteAndWithOffsetIsAbsolute(String start, String facility, String expected)
            throws Exception {
        AppointmentEvent e = map(msg().start(start).facility(facility));
        assertThat(e.start()).isEqualTo(Instant.parse(expected));
    }

    @Test
    void missingStartOfABookingIsAnApplicationErrorNamingTq1() {
        Msg m = msg().start("");
        assertThatThrownBy(() -> map(m)).isInstanceOfSatisfying(ApplicationErrorException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(101);
            assertThat(e.segment()).isEqualTo("TQ1");
            assertThat(e.field()).isEqualTo(7);
            assertThat(e.getMessage()).contains("TQ1-7", "AIS-4", "SCH-11", "AIL-6");
        });
    }

    @ParameterizedTest
    @CsvSource({"S15", "S17", "S26"})
    void cancellationsNeedNoStart(String trigger) throws Exception {
        AppointmentEvent e = map(msg().trigger(trigger).start(""));
        assertThat(e.start()).isNull();
        assertThat(e.externalId()).isEqualTo("FL1");
    }

    // --- duration ---------------------------------------------------------------------------------------------

    @Test
    void durationFromTq1End() throws Exception {
        Msg m = msg().after("SCH", "TQ1|1||||||20300305140000|20300305144500")
                .set("SCH", "SCH|PL1|FL1|||||ROUTINE|NORMAL|90|MIN|^^^20300305140000");
        assertThat(map(m).durationMinutes()).isEqualTo(45);
    }

    @Test
    void durationFromSch11EndWhenThereIsNoTq1() throws Exception {
        Msg m = msg().set("SCH", "SCH|PL1|FL1|||||ROUTINE|NORMAL|90|MIN|^^^20300305140000^20300305151500");
        assertThat(map(m).durationMinutes()).isEqualTo(75);
    }

    @ParameterizedTest(name = "AIS-7 {0} {1} -> {2} min")
    @CsvSource(textBlock = """
            2,   H,       120
            2,   HOURS,   120
            45,  MIN,     45
            45,  min,     45
            45,  '',      45
            1,   D,       1440
            1800, S,      30
            """)
    void durationFromAisWithUnits(String amount, String units, int expected) throws Exception {
        Msg m = msg().set("AIS", "AIS|1||CONS^Consultation||||" + amount + "|" + units)
                .set("SCH", "SCH|PL1|FL1|||||ROUTINE|NORMAL|90|MIN|^^^20300305140000");
        assertThat(map(m).durationMinutes()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "SCH-9 {0} {1} -> {2} min")
    @CsvSource(textBlock = """
            30,  MIN,  30
            1.5, H,    90
            20,  '',   20
            """)
    void durationFromSch9And10(String amount, String units, int expected) throws Exception {
        Msg m = msg().set("SCH", "SCH|PL1|FL1|||||ROUTINE|NORMAL|" + amount + "|" + units + "|^^^20300305140000");
        assertThat(map(m).durationMinutes()).isEqualTo(expected);
    }

    @Test
    void endBeforeStartIsIgnoredForTheNextSource() throws Exception {
        Msg m = msg().after("SCH", "TQ1|1||||||20300305140000|20300305130000")
                .set("SCH", "SCH|PL1|FL1|||||ROUTINE|NORMAL|30|MIN|^^^20300305140000");
        assertThat(map(m).durationMinutes()).isEqualTo(30);
    }

    @Test
    void unknownUnitsOrNoNumberGiveNoDuration() throws Exception {
        assertThat(map(msg().set("AIS", "AIS|1||CONS^Consultation||||3|WEEKS")).durationMinutes()).isNull();
        assertThat(map(msg().set("AIS", "AIS|1||CONS^Consultation||||soon")).durationMinutes()).isNull();
    }

    // --- phone ------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            CP wins over an earlier PRN number;  ^PRN^PH^^1^608^2719000~^PRN^CP^^1^608^2719001;  '';  +16082719001
            first of unmarked NANP numbers;      ^PRN^PH^^1^608^2719000~^ORN^PH^^1^608^2719001;  '';  +16082719000
            e-mail repetitions skipped;          (608)271-9001^NET^Internet^pat@example.org~(608)271-9002^PRN^PH;  '';  +16082719002
            X.400 repetition skipped;            (608)271-9001^PRN^X.400~(608)271-9002^PRN^PH;  '';  +16082719002
            fax skipped;                         (608)271-9001^PRN^FX~(608)271-9002^PRN^PH;  '';  +16082719002
            XTN-1 only;                          (608) 271-9003;  '';  +16082719003
            XTN-12 unformatted only;             ^PRN^PH^^^^^^^^^6082719004;  '';  +16082719004
            fallback to PID-14;                  '';  ^WPN^PH^^1^608^2719005;  +16082719005
            fallback when PID-13 is only a fax;  ^PRN^FX^^1^608^2719000;  ^WPN^PH^^1^608^2719005;  +16082719005
            PID-14 not used when PID-13 has one; ^PRN^PH^^1^608^2719000;  ^WPN^CP^^1^608^2719005;  +16082719000
            """)
    void phone(String name, String pid13, String pid14, String expected) throws Exception {
        assertThat(map(msg().pidTelecom(pid13, pid14)).phoneE164()).isEqualTo(expected);
    }

    @Test
    void noNumberAtAllIsNoPhone() throws Exception {
        assertThat(map(msg().pidTelecom("", "")).phoneE164()).isNull();
        assertThat(map(msg().pidTelecom("^NET^Internet^pat@example.org", "")).phoneE164()).isNull();
    }

    @Test
    void mobileMarkerInXtn2WithGbRegion() throws Exception {
        // The royal-london site has phoneRegion GB, so its patients' national numbers read as British.
        // Both are GB mobiles by number; the one the feed marks MOBILE (Renalware style, XTN-2) is chosen.
        Msg m = msg().facility("RNJ ROYALLONDON")
                .pidTelecom("07400 123457^HOME~07400 123456^MOBILE~pat@example.org^EMAIL", "\"\"^BUSINESS");
        assertThat(map(m).phoneE164()).isEqualTo("+447400123456");
    }

    @Test
    void gbLandlineIsNeverChosenEvenWhenMarkedMobile() throws Exception {
        Msg m = msg().facility("RNJ ROYALLONDON").pidTelecom("020 7946 0018^MOBILE~07400 123456^HOME", "");
        assertThat(map(m).phoneE164()).isEqualTo("+447400123456");
    }

    @Test
    void v22PlainTelephoneNumber() throws Exception {
        // In 2.2 PID-13 is a TN (no components) and HAPI has no SIU structures: the generic model is read.
        Msg m = msg().version("2.2").pidTelecom("(608)271-9000~(608)271-9001", "");
        AppointmentEvent e = map(m);
        assertThat(e.phoneE164()).isEqualTo("+16082719000");
        assertThat(e.externalId()).isEqualTo("FL1");
        assertThat(e.start()).isEqualTo(Instant.parse("2030-03-05T19:00:00Z"));
    }

    // --- language, provider, site, instructions ----------------------------------------------------------------

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(nullValues = "null", textBlock = """
            spa,     es
            es,      es
            SPA,     es
            es-MX,   es
            eng,     en
            en-US,   en
            EN,      en
            ara^Arabic^ISO639, ar
            '',      null
            """)
    void language(String pid15, String expected) throws Exception {
        Msg m = msg().set("PID", "PID|1||MRN1^^^HOSP^MR||DOE^JANE||19800101|F|||||^PRN^CP^^1^608^2719000||" + pid15);
        assertThat(map(m).language()).isEqualTo(expected);
    }

    @Test
    void providerFromAip3WithPrefix() throws Exception {
        assertThat(map(msg()).provider()).isEqualTo("Dr Anna Smith");
        assertThat(map(msg().set("AIP", "AIP|1||D1^SMITH^ANNA")).provider()).isEqualTo("Anna Smith");
    }

    @Test
    void providerFromAig3WhenThereIsNoAip() throws Exception {
        Msg m = msg().set("AIP", null).after("AIS", "AIG|1||123^ABC Cell Counter^L");
        assertThat(map(m).provider()).isEqualTo("ABC Cell Counter");
    }

    @Test
    void providerFromPv17WhenThereIsNoResource() throws Exception {
        Msg m = msg().set("AIP", null).after("PID", "PV1|1|O|||||0210^ATTEND^AARON^A^^Dr");
        assertThat(map(m).provider()).isEqualTo("Dr Aaron Attend");
    }

    @Test
    void noProviderAnywhere() throws Exception {
        assertThat(map(msg().set("AIP", null)).provider()).isNull();
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(textBlock = """
            GH Clinic,        gh-clinic
            gh clinic,        gh-clinic
            GHH HOSPITAL,     gh-clinic
            ' GHHSFacility ', gh-clinic
            RNJ ROYALLONDON,  royal-london
            blt,              royal-london
            Elsewhere,        main
            """)
    void siteFromAil3FacilityCaseInsensitively(String facility, String site) throws Exception {
        assertThat(map(msg().facility(facility)).siteCode()).isEqualTo(site);
    }

    @Test
    void siteFromPv13WhenThereIsNoAil() throws Exception {
        Msg m = msg().set("AIL", null).after("PID", "PV1|1|O|RNJ Renal OPD^Nephrology New^^RNJ ROYALLONDON");
        AppointmentEvent e = map(m);
        assertThat(e.siteCode()).isEqualTo("royal-london");
        assertThat(e.location()).isEqualTo("RNJ Renal OPD Nephrology New, RNJ ROYALLONDON");
    }

    @Test
    void noFacilityIsTheDefaultSite() throws Exception {
        assertThat(map(msg().set("AIL", null)).siteCode()).isEqualTo("main");
    }

    @Test
    void instructionsAreTheNotesAfterSchOnly() throws Exception {
        Msg m = msg().after("SCH", "NTE|1||Bring your insurance card", "NTE|2||Fast for 8 hours")
                .after("AIS", "NTE|1||Service note for staff")
                .after("AIL", "NTE|1||Location note");
        assertThat(map(m).instructions()).isEqualTo("Bring your insurance card Fast for 8 hours");
    }

    @Test
    void notesOnResourcesOnlyAreNoInstructions() throws Exception {
        Msg m = msg().after("AIS", "NTE|1||Service note for staff");
        assertThat(map(m).instructions()).isNull();
    }

    // --- triggers ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(textBlock = """
            S12, BOOK
            S13, RESCHEDULE
            S14, MODIFY
            S15, CANCEL
            S17, DELETE
            S26, NO_SHOW
            """)
    void triggerToAction(String trigger, AppointmentAction action) throws Exception {
        AppointmentEvent e = map(msg().trigger(trigger));
        assertThat(e.action()).isEqualTo(action);
        assertThat(e.eventCode()).isEqualTo(trigger);
        assertThat(US.actionFor(trigger)).contains(action);
    }

    @Test
    void unconfiguredTriggerIsRejectedWith201() {
        Msg m = msg().trigger("S16");
        assertThatThrownBy(() -> map(m)).isInstanceOfSatisfying(ApplicationRejectException.class, e -> {
            assertThat(e.ackCode()).isEqualTo("AR");
            assertThat(e.errorCode()).isEqualTo(201);
            assertThat(e.segment()).isEqualTo("MSH");
            assertThat(e.field()).isEqualTo(9);
            assertThat(e.getMessage()).contains("S16", "SIU^S12", "SIU^S26");
        });
        assertThat(US.actionFor("S16")).isEmpty();
    }
}
