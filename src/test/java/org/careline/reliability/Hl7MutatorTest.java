package org.careline.reliability;

import org.careline.reliability.Hl7Mutator.Kind;
import org.careline.reliability.Hl7Mutator.Mutant;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class Hl7MutatorTest {

    private static final List<Hl7Mutator.Base> BASES = List.of(
            Hl7Mutator.base("siu", "\uFEFFMSH|^~\\&|EHR|HOSP|CL|CL|20260101||SIU^S12|X1|P|2.5\n"
                    + "SCH|P1|F1|||||ROUTINE\nPID|1||MRN1^^^HOSP^MR||DOE^JANE||19800101|F\n"),
            Hl7Mutator.base("oru", "MSH|^~\\&|LAB|HOSP|CL|CL|20260101||ORU^R01|X2|P|2.3.1\r"
                    + "PID|1||MRN2||ROE^RICHARD\rOBR|1\rOBX|1|TX|||result text\r"));

    @Test
    void theSameSeedMakesTheSameInputsAndAnotherSeedOthers() {
        Hl7Mutator a = new Hl7Mutator(42, BASES);
        Hl7Mutator b = new Hl7Mutator(42, BASES);
        Hl7Mutator c = new Hl7Mutator(43, BASES);
        int differ = 0;
        for (int i = 0; i < 300; i++) {
            Mutant x = a.mutant(i);
            Mutant y = b.mutant(i);
            assertThat(y.bytes()).isEqualTo(x.bytes());
            assertThat(y.kind()).isEqualTo(x.kind());
            assertThat(y.controlId()).isEqualTo(x.controlId());
            if (!java.util.Arrays.equals(c.mutant(i).bytes(), x.bytes())) {
                differ++;
            }
        }
        assertThat(differ).isGreaterThan(250);
    }

    @Test
    void everyKindIsMadeAndEachInputIsExactlyOneFrame() {
        Hl7Mutator m = new Hl7Mutator(7, BASES);
        Map<Kind, Integer> seen = new EnumMap<>(Kind.class);
        for (int i = 0; i < 2000; i++) {
            Mutant mu = m.mutant(i);
            seen.merge(mu.kind(), 1, Integer::sum);
            for (byte x : mu.bytes()) {
                assertThat(x).as("input %d (%s) has an MLLP block character", i, mu.kind()).isNotIn((byte) 0x0b, (byte) 0x1c);
            }
            String text = new String(mu.bytes(), StandardCharsets.ISO_8859_1);
            if (mu.controlId() != null) {
                // Where the ACK must name the input, the input carries that id in MSH-10 (or the MSH is intact).
                assertThat(text).as("input %d (%s)", i, mu.kind()).contains("|" + m.controlId(i) + "|");
            }
            switch (mu.kind()) {
                case HUGE_FIELD -> assertThat(mu.bytes().length).isGreaterThan(Hl7Mutator.HUGE);
                case SEPARATOR_LF -> assertThat(text).doesNotContain("\r").contains("\n");
                case SEPARATOR_CRLF -> assertThat(text).contains("\r\n");
                case VERSION_EMPTY -> assertThat(text.split("[\r\n]")[0].split("\\|", -1)[11]).isEmpty();
                case VERSION_UNKNOWN -> assertThat(text.split("[\r\n]")[0].split("\\|", -1)[11])
                        .isIn("9.9", "3.0", "abc", "2.", "1.0", "22");
                case MSH_MISSING, BINARY_JUNK, EMPTY -> assertThat(text).doesNotStartWith("MSH|");
                case FIELD_SEPARATOR_CHANGED -> assertThat(text.charAt(3)).isNotEqualTo('|');
                case COMPONENT_SEPARATOR_CHANGED -> assertThat(text.charAt(4)).isNotEqualTo('^');
                case TRUNCATED -> assertThat(mu.bytes().length).isGreaterThan(0);
                default -> {
                }
            }
            assertThat(mu.mayBeAccepted()).isEqualTo(mu.kind().mayBeAccepted());
        }
        assertThat(seen.keySet()).containsExactlyInAnyOrder(Kind.values());
        // 1 MiB fields stay rare, so a long run does not send gigabytes.
        assertThat(seen.get(Kind.HUGE_FIELD)).isBetween(15, 30);
    }

    @Test
    void aBaseIsNormalisedAndTheOriginalGetsItsOwnControlId() {
        Hl7Mutator m = new Hl7Mutator(1, BASES);
        String siu = m.original(0, "ID-9");
        assertThat(siu).startsWith("MSH|^~\\&|EHR|HOSP|CL|CL|20260101||SIU^S12|ID-9|P|2.5\rSCH|")
                .doesNotContain("\n").doesNotEndWith("\r");
        assertThat(m.baseCount()).isEqualTo(2);
    }
}
