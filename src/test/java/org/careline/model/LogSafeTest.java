package org.careline.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Outside text in a log line: no character that ends a line (or hides one) survives, and the rest reads as sent. */
class LogSafeTest {

    /** Input and output as Java escapes (\\n etc.), so the table itself holds no control characters. */
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            Subscription/s1                     | Subscription/s1
            wamid.HBgL\\nINFO forged            | wamid.HBgL\\\\nINFO forged
            a\\rb                               | a\\\\rb
            a\\r\\nb                            | a\\\\r\\\\nb
            tab\\there                          | tab\\\\there
            nul\\u0000                          | nul\\\\u0000
            esc\\u001b[31mred                   | esc\\\\u001b[31mred
            del\\u007f                          | del\\\\u007f
            nel\\u0085line                      | nel\\\\u0085line
            c1\\u009b                           | c1\\\\u009b
            ls\\u2028ps\\u2029                  | ls\\\\u2028ps\\\\u2029
            Ünïcödé ok                          | Ünïcödé ok
            ''                                  | ''
            NULL                                | null
            """)
    void controlCharactersBecomeVisibleEscapes(String input, String expected) {
        assertThat(LogSafe.text(unescape(input))).isEqualTo(expected == null ? null : unescapeOnce(expected));
    }

    @org.junit.jupiter.api.Test
    void longValuesAreCut() {
        String s = "x".repeat(LogSafe.MAX + 50);
        assertThat(LogSafe.text(s)).isEqualTo("x".repeat(LogSafe.MAX) + "...(+50 chars)");
        assertThat(LogSafe.of(42)).isEqualTo("42");
        assertThat(LogSafe.of(null)).isEqualTo("null");
    }

    /** \\n, \\r, \\t and \\uXXXX → the characters. */
    private static String unescape(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(i + 1);
                if (n == 'n') {
                    b.append('\n');
                    i++;
                    continue;
                }
                if (n == 'r') {
                    b.append('\r');
                    i++;
                    continue;
                }
                if (n == 't') {
                    b.append('\t');
                    i++;
                    continue;
                }
                if (n == 'u') {
                    b.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                    i += 5;
                    continue;
                }
            }
            b.append(c);
        }
        return b.toString();
    }

    /** "\\\\" → "\\": the expected column spells the backslash LogSafe writes as a doubled one. */
    private static String unescapeOnce(String s) {
        return s.replace("\\\\", "\\");
    }
}
