package org.careline.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: every bad setting is reported by one place ({@link SettingValues}, over the catalog's declared rules and
 * ranges) with a message that starts with the variable's name, so one line tells an operator what to change.
 */
class SettingErrorsTest {

    /** Bad values for every setting of a kind that can be checked: numbers, URLs, true/false, durations. */
    static Stream<Arguments> everyCheckableSetting() {
        return SettingsCatalog.ALL.stream().flatMap(s -> badValues(s).stream().map(v -> Arguments.of(s.name(), v)));
    }

    private static List<String> badValues(Setting<?> s) {
        String type = s.type();
        if (type.startsWith("port") || type.startsWith("ms") || type.startsWith("whole number")
                || type.startsWith("bytes") || type.startsWith("connections") || type.startsWith("days")) {
            return List.of("abc", "-5", "12.5", "99999999999");
        }
        if (type.contains("URL")) {
            return List.of("not-a-url", "ftp//x");
        }
        if (type.startsWith("true or false")) {
            return List.of("maybe", "1");
        }
        if (type.startsWith("duration")) {
            return List.of("soon", "-5m");
        }
        return List.of();
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("everyCheckableSetting")
    void aBadValueIsReportedUnderTheVariablesName(String variable, String value) {
        SettingValues values = SettingValues.read(Map.of(variable, value));
        Setting<?> setting = SettingsCatalog.ALL.stream().filter(s -> s.name().equals(variable)).findFirst()
                .orElseThrow();
        assertThat(values.problem(setting)).as(variable + "=" + value).isNotNull().startsWith(variable + " ")
                .doesNotContain("\n").doesNotContainPattern("[A-Za-z]+Exception");
    }

    @org.junit.jupiter.api.Test
    void aValueTheFileSystemRefusesIsNamedToo() {
        // Path.of throws its own message, without the variable: SettingValues puts the name in front.
        SettingValues values = SettingValues.read(Map.of("CARELINE_ROUTES_DIR", "a\u0000b"));
        assertThat(values.problems()).singleElement().satisfies(p -> assertThat(p).startsWith("CARELINE_ROUTES_DIR: "));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            WHATSAPP_API_BASE              | not-a-url   | WHATSAPP_API_BASE must be an http(s) URL such as https://graph.facebook.com, got 'not-a-url'
            CARELINE_SEND_RATE_PER_SECOND  | -5          | CARELINE_SEND_RATE_PER_SECOND must be a number of messages from 1 to 100000, got '-5'
            CARELINE_SEND_RATE_PER_SECOND  | 0           | CARELINE_SEND_RATE_PER_SECOND must be a number of messages from 1 to 100000, got '0'
            CARELINE_MAX_SEND_ATTEMPTS     | 0           | CARELINE_MAX_SEND_ATTEMPTS must be a number of attempts from 1 to 10000, got '0'
            CARELINE_DISPATCH_INTERVAL_MS  | 0           | CARELINE_DISPATCH_INTERVAL_MS must be a number of milliseconds from 1 to 3600000, got '0'
            CARELINE_RETRY_BASE_MS         | -1          | CARELINE_RETRY_BASE_MS must be a number of milliseconds from 1 to 3600000, got '-1'
            CARELINE_SEND_TIMEOUT_MS       | 0           | CARELINE_SEND_TIMEOUT_MS must be a number of milliseconds from 1 to 3600000, got '0'
            CARELINE_DB_URL                | postgres://db | CARELINE_DB_URL must be a JDBC URL such as jdbc:postgresql://host/db or jdbc:h2:file:./data/careline, got 'postgres://db'
            CARELINE_DB_URL                | postgres://u:pw@db | CARELINE_DB_URL must be a JDBC URL such as jdbc:postgresql://host/db or jdbc:h2:file:./data/careline, got 'postgres://u:****@db'
            CARELINE_MLLP_TLS              | yes         | CARELINE_MLLP_TLS must be true or false, got 'yes'
            """)
    void theMessageSaysWhatIsExpected(String variable, String value, String message) {
        SettingValues values = SettingValues.read(Map.of(variable, value));
        assertThat(values.problems()).singleElement().satisfies(p -> assertThat(p).startsWith(message));
    }
}
