package org.careline.config;

import org.careline.model.PhoneMarkers;
import org.careline.support.TestMappings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The phones piece's rules (pieces.yaml) and fhir.yaml's link to them. */
class PhonePieceTest {

    /** What MobileNumberPicker and PatientReader had as constants before the rules moved to pieces.yaml. */
    private static final PhoneMarkers BEFORE = new PhoneMarkers(
            Set.of("CP", "MOBILE", "MOB", "CELL", "CELLULAR", "CELLPHONE"),
            Set.of("FX", "FAX", "BP", "BPN", "PAGER", "TDD", "TTY"), Set.of("NET"), Set.of("INTERNET", "X.400"));

    @Test
    void theShippedRulesAreTheOnesThatWereInJava() {
        Path shipped = Path.of("mappings");
        assertThat(PhoneMarkers.DEFAULTS).isEqualTo(BEFORE);
        Hl7Pieces.PhoneRules expected = new Hl7Pieces.PhoneRules(List.of(1, 12), BEFORE);
        assertThat(SiuMapping.load(shipped).phoneRules()).isEqualTo(expected);
        assertThat(OruMapping.load(shipped).phoneRules()).isEqualTo(expected);
        assertThat(FhirMapping.load(shipped).phoneMarkers()).isEqualTo(BEFORE);
    }

    @Test
    void aPieceThatLeavesTheListsOutGetsTheShippedOnes() throws IOException {
        Path dir = TestMappings.copy();
        TestMappings.edit(dir, "pieces.yaml", t -> t.replaceAll("(?m)^    (number|mobileMarkers|neverMessage|"
                + "emailUses|emailEquipment): .*\n", ""));
        assertThat(SiuMapping.load(dir).phoneRules()).isEqualTo(Hl7Pieces.PhoneRules.DEFAULTS);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            marker with a space     | pieces.yaml | '    mobileMarkers: [CP, '         | '    mobileMarkers: [CELL PHONE, CP, '   | pieces.hl7-phones.mobileMarkers[0]
            marker that is a list   | pieces.yaml | '    neverMessage: [FX, '          | '    neverMessage: [[FX], '              | pieces.hl7-phones.neverMessage[0]
            mobile and never        | pieces.yaml | '    neverMessage: [FX, '          | '    neverMessage: [CP, FX, '            | pieces.hl7-phones.neverMessage
            no such XTN component   | pieces.yaml | '    number: [1, 12]'              | '    number: [1, 13]'                    | pieces.hl7-phones.number[1]
            rules without phones    | pieces.yaml | '    language:\n'                  | '    emailUses: [NET]\n    language:\n'  | pieces.hl7-patient.emailUses
            unknown markers piece   | fhir.yaml   | '  markers: hl7-phones'           | '  markers: hl7-phone'                  | telecom.markers
            telecom code not a word | fhir.yaml   | '    sms: CP'                      | '    sms: C P'                           | telecom.systems.sms
            """)
    void aWrongRuleNamesFileLineAndKey(String what, String file, String from, String to, String key)
            throws IOException {
        Path dir = TestMappings.copy();
        TestMappings.edit(dir, file, t -> {
            String f = from.replace("\\n", "\n");
            assertThat(t).contains(f);
            return t.replaceFirst(java.util.regex.Pattern.quote(f),
                    java.util.regex.Matcher.quoteReplacement(to.replace("\\n", "\n")));
        });
        Runnable load = file.equals("fhir.yaml") ? () -> FhirMapping.load(dir) : () -> SiuMapping.load(dir);
        assertThatThrownBy(load::run).as(what).isInstanceOf(MappingException.class)
                .hasMessageMatching(java.util.regex.Pattern.quote(dir.resolve(file).toString())
                        + ", line \\d+, key '" + java.util.regex.Pattern.quote(key) + "': .*")
                .satisfies(e -> assertThat(((MappingException) e).line()).isPresent());
    }
}
