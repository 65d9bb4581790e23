package org.careline.ingest.hl7;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class Hl7TextTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("plain text is untouched", "Fast from midnight", "Fast from midnight"),
                Arguments.of("line break becomes a space", "Fast\\.br\\Bring your card", "Fast Bring your card"),
                Arguments.of("indent command", "a\\.in+4\\b", "a b"),
                Arguments.of("highlighting is dropped", "\\H\\Important\\N\\: fast", "Important: fast"),
                Arguments.of("hex line feed decoded", "one\\X0A\\two", "one\ntwo"),
                Arguments.of("hex Latin-1 letter decoded", "Jos\\XE9\\", "José"),
                Arguments.of("other backslashes kept", "a\\b", "a\\b"),
                Arguments.of("null stays null", null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void formattingEscapesAreRemoved(String name, String in, String expected) {
        assertThat(Hl7Text.plain(in)).isEqualTo(expected);
    }
}
