package org.careline.privacy;

import org.careline.model.DataClass;
import org.careline.model.RetentionRules;
import org.careline.store.RetentionTargets.Candidate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure pieces of retention and erasure, as tables of cases. */
class PrivacyDecisionsTest {

    @ParameterizedTest(name = "{0} kept {1} → {2}")
    @CsvSource(nullValues = "null", value = {
            "MESSAGE_BODIES, P12M, null",
            "MESSAGE_BODIES, P6M, null",
            "MESSAGE_BODIES, P5M, is clinical communication: keep it at least 6 months",
            "MESSAGE_BODIES, P180D, null",
            "MESSAGE_BODIES, P179D, is clinical communication: keep it at least 6 months",
            "RAW_INBOUND, P3M, is clinical communication: keep it at least 6 months",
            "STAFF_NOTES, P1Y, null",
            "AUDIT_TRAIL, P6Y, null",
            "CONTACT_DATA, P1M, null",
            "CONTACT_DATA, P0D, must be at least 1 day",
    })
    void periodsBelowTheFloorAreRefused(DataClass d, String period, String refusal) {
        assertThat(RetentionRules.refusal(d, Period.parse(period))).isEqualTo(refusal);
    }

    @ParameterizedTest(name = "{0} at {1} → {2}")
    @CsvSource({
            "P12M, 2030-03-05T03:30:00Z, 2029-03-05T03:30:00Z",
            "P12M, 2028-02-29T03:30:00Z, 2027-02-28T03:30:00Z", // no 29 February a year before
            "P6M,  2030-08-31T03:30:00Z, 2030-02-28T03:30:00Z",
            "P400D, 2030-03-05T00:00:00Z, 2029-01-29T00:00:00Z",
    })
    void theCutoffCountsCalendarMonthsBack(String period, Instant now, Instant cutoff) {
        RetentionRules rules = new RetentionRules(Map.of(DataClass.MESSAGE_BODIES, Period.parse(period)));
        assertThat(rules.cutoff(DataClass.MESSAGE_BODIES, now)).isEqualTo(cutoff);
        assertThat(RetentionRules.defaults().period(DataClass.DOCUMENTS)).isEqualTo(Period.ofMonths(12));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "PID|1||MRN778899^^^HOSP^MR||DOE^JANE; true",
            "PID|1||XMRN778899^^^HOSP^MR; false",
            "PID|1||MRN7788990^^^HOSP^MR; false",
            "{\"from\":\"16082719000\",\"text\":\"hi\"}; true",
            "{\"from\":\"116082719000\"}; false",
            "PID-13: 6082719000 (home); true",
            "call 26082719000; false",
            "nothing here; false",
    })
    void aTextCarriesThePatientOnlyAsAWholeMrnOrNumber(String text, boolean carries) {
        assertThat(PatientMarkers.of("MRN778899", "+16082719000").carries(text)).isEqualTo(carries);
    }

    @ParameterizedTest(name = "{0} → starts {1}")
    @CsvSource({
            "+16082719012, +1 608 ",
            "+447911123456, +44 7911 ",
            "+4915112345678, +49 1511",
    })
    void aNumberIsShownMaskedButForItsCountryFirstGroupAndLastTwoDigits(String e164, String start) {
        String m = PhoneMask.mask(e164);
        assertThat(m).startsWith(start).endsWith(e164.substring(e164.length() - 2)).contains("\u2022");
        assertThat(m.replaceAll("[^0-9\u2022]", "")).hasSize(e164.length() - 1);
        assertThat(PhoneMask.mask("+16082719012")).isEqualTo("+1 608 \u2022\u2022\u2022 \u2022\u202212");
        assertThat(PhoneMask.mask(null)).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "null", value = {
            "held patient id, 7, null, null, true",
            "held number, null, +16082719009, null, true",
            "held MRN in raw text, null, null, PID|1||MRNHELD1^^^HOSP, true",
            "someone else, 8, +16082719000, PID|1||MRNFREE1^^^HOSP, false",
    })
    void theHoldCoversRowsOfHeldPatientsOnly(String what, Long patientId, String phone, String text, boolean covers) {
        HeldData held = new HeldData(Set.of(7L), Set.of("+16082719009"),
                List.of(PatientMarkers.of("MRNHELD1", "+16082719009")));
        assertThat(held.covers(new Candidate("1", patientId, phone, text))).isEqualTo(covers);
    }

    @ParameterizedTest(name = "mrn={0} phone={1} → {2}")
    @CsvSource(nullValues = "null", value = {
            "M1, null, MRN",
            "null, 608, PHONE",
            "M1, 608, null",
            "null, null, null",
    })
    void aSearchNamesExactlyOneKey(String mrn, String phone, PatientFinder.KeyKind kind) {
        assertThat(PatientFinder.kind(mrn, phone)).isEqualTo(kind);
    }
}
