package org.careline.contact;

import org.careline.model.PhoneCandidate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class MobileNumberPickerTest {

    // libphonenumber's own GB mobile example; it rejects Ofcom's 07700 900xxx drama range as invalid.
    // 020 7946 0xxx is Ofcom's London drama range, which it does accept as a landline.
    private static final String GB_MOBILE = "07400 123456";
    private static final String GB_LANDLINE = "020 7946 0018";

    private static PhoneCandidate phone(String number, String useCode, String equipmentType) {
        return new PhoneCandidate(number, useCode, equipmentType, null, null, null, null, null);
    }

    private static PhoneCandidate plain(String number) {
        return phone(number, null, null);
    }

    private static PhoneCandidate parts(String countryCode, String areaCode, String localNumber) {
        return new PhoneCandidate(null, "PRN", "PH", null, countryCode, areaCode, localNumber, null);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("US number without marker is FIXED_LINE_OR_MOBILE", "US",
                        List.of(plain("(608) 271-9000")), List.of(), "+16082719000"),
                arguments("GB mobile marked MOBILE", "GB",
                        List.of(phone(GB_MOBILE, "MOBILE", null)), List.of(), "+447400123456"),
                arguments("GB landline marked HOME alone", "GB",
                        List.of(phone(GB_LANDLINE, "HOME", null)), List.of(), null),
                arguments("GB landline marked CP is still a landline", "GB",
                        List.of(phone(GB_LANDLINE, "PRN", "CP")), List.of(), null),
                arguments("mobile by type preferred over home landline listed first", "GB",
                        List.of(phone(GB_LANDLINE, "PRN", "PH"), phone(GB_MOBILE, "PRN", "PH")), List.of(),
                        "+447400123456"),
                arguments("mobile by marker preferred over home landline listed first", "GB",
                        List.of(phone(GB_LANDLINE, "PRN", "PH"), phone(GB_MOBILE, "ORN", "CP")), List.of(),
                        "+447400123456"),
                arguments("CP entry wins over an unmarked earlier entry", "US",
                        List.of(plain("(608) 271-9000"), phone("(608) 271-9001", "PRN", "CP")), List.of(),
                        "+16082719001"),
                arguments("non-standard marker in equipment type, any case", "US",
                        List.of(plain("(608) 271-9000"), phone("608 271 9002", null, "Cell Phone")), List.of(),
                        "+16082719002"),
                arguments("first of two unmarked possible mobiles", "US",
                        List.of(plain("608-271-9000"), plain("608-271-9001")), List.of(), "+16082719000"),
                arguments("e-mail entries skipped", "GB",
                        List.of(new PhoneCandidate(null, "NET", "Internet", "pat@example.org", null, null, null, null),
                                phone("pat@example.org", "PRN", "PH"),
                                new PhoneCandidate("07400 123458", "ORN", "X.400", null, null, null, null, null),
                                new PhoneCandidate("07400 123459", "NET", "PH", null, null, null, null, null),
                                new PhoneCandidate(null, null, null, "pat@example.org", null, null, null, null),
                                phone(GB_MOBILE, "PRN", "PH")),
                        List.of(), "+447400123456"),
                arguments("only e-mail entries: nothing", "GB",
                        List.of(new PhoneCandidate(null, "NET", "Internet", "pat@example.org", null, null, null, null)),
                        List.of(), null),
                arguments("+ keeps its own country", "US",
                        List.of(plain("+34 612 345 678")), List.of(), "+34612345678"),
                arguments("00 international prefix in a 011 region", "US",
                        List.of(plain("0034 612 345 678")), List.of(), "+34612345678"),
                arguments("00 international prefix in a 00 region", "GB",
                        List.of(plain("0034612345678")), List.of(), "+34612345678"),
                arguments("invalid junk", "US", List.of(plain("5555")), List.of(), null),
                arguments("Ofcom drama mobile range is not a valid number", "GB",
                        List.of(phone("07700 900123", "MOBILE", "CP")), List.of(), null),
                arguments("blank and null entries", "US",
                        Arrays.asList(null, plain(" "), plain(null)), List.of(), null),
                arguments("fax marked entry never wins even if mobile-shaped", "GB",
                        List.of(phone(GB_MOBILE, "WPN", "FX")), List.of(), null),
                arguments("pager and TDD skipped, next entry used", "US",
                        List.of(phone("608-271-9003", "BPN", "BP"), phone("608-271-9004", "PRN", "TDD"),
                                plain("608-271-9000")),
                        List.of(), "+16082719000"),
                arguments("components with country code", "GB",
                        List.of(parts("44", "7400", "123456")), List.of(), "+447400123456"),
                arguments("components with +CC and trunk zero in area code", "US",
                        List.of(parts("+44", "07400", "123456")), List.of(), "+447400123456"),
                arguments("components without country code use the default region", "US",
                        List.of(parts(null, "608", "2719000")), List.of(), "+16082719000"),
                arguments("extension dropped", "US",
                        List.of(plain("(608) 271-9000 ext. 12")), List.of(), "+16082719000"),
                arguments("fallback used when primary has no valid number", "GB",
                        List.of(plain("5555")), List.of(phone(GB_MOBILE, "WPN", "PH")), "+447400123456"),
                arguments("fallback used when primary is empty", "GB",
                        List.of(), List.of(phone(GB_MOBILE, "WPN", "CP")), "+447400123456"),
                arguments("fallback used when primary is null", "GB",
                        null, List.of(phone(GB_MOBILE, "WPN", "CP")), "+447400123456"),
                arguments("fallback used when primary holds only a fax", "GB",
                        List.of(phone(GB_MOBILE, "PRN", "FX")), List.of(phone("07400 123457", "WPN", "CP")),
                        "+447400123457"),
                arguments("fallback ignored when primary has a valid number", "US",
                        List.of(plain("608-271-9000")), List.of(phone("608-271-9001", "WPN", "CP")), "+16082719000"),
                arguments("fallback ignored even when primary's only valid number is a landline", "GB",
                        List.of(phone(GB_LANDLINE, "PRN", "PH")), List.of(phone(GB_MOBILE, "WPN", "CP")), null),
                arguments("nothing at all", "GB", null, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void picks(String name, String region, List<PhoneCandidate> primary, List<PhoneCandidate> fallback,
               String expected) {
        Optional<String> picked = new MobileNumberPicker(region).pick(primary, fallback);
        assertThat(picked).isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void regionIsCaseInsensitive() {
        assertThat(new MobileNumberPicker("gb").pick(List.of(plain(GB_MOBILE)), List.of()))
                .contains("+447400123456");
    }

    @Test
    void unknownRegionIsRejected() {
        assertThatThrownBy(() -> new MobileNumberPicker("XX")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MobileNumberPicker(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
