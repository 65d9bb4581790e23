package org.careline.metrics;

import org.careline.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The metrics port is off unless set, and a port it would share is refused; the log format is text or json. */
class MetricsSettingsTest {

    @Test
    void byDefaultNoMetricsPortTextLogsAndFiveSecondsOfReuse() {
        Settings s = Settings.from(Map.of());
        assertThat(s.metricsPort()).isNull();
        assertThat(s.logFormat()).isEqualTo("text");
        assertThat(s.metricsCacheMillis()).isEqualTo(5000);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "CARELINE_METRICS_PORT, 9464, ",
            "CARELINE_METRICS_PORT, 0, must be a port number from 1 to 65535",
            "CARELINE_METRICS_PORT, 70000, must be a port number from 1 to 65535",
            "CARELINE_METRICS_PORT, 8080, must differ from CARELINE_HTTP_PORT",
            "CARELINE_METRICS_PORT, 2575, must differ from CARELINE_HTTP_PORT and CARELINE_MLLP_PORT",
            "CARELINE_METRICS_PORT, nine, must be a whole number",
            "CARELINE_METRICS_CACHE_MS, 0, ",
            "CARELINE_METRICS_CACHE_MS, 60001, must be a number of milliseconds from 0 to 60000",
            "CARELINE_LOG_FORMAT, JSON, ",
            "CARELINE_LOG_FORMAT, xml, must be text or json"})
    void valuesAreChecked(String name, String value, String problem) {
        if (problem == null) {
            Settings s = Settings.from(Map.of(name, value));
            assertThat(s.metricsPort() == null ? s.logFormat() : s.metricsPort()).isNotNull();
        } else {
            assertThatThrownBy(() -> Settings.from(Map.of(name, value))).hasMessageContaining(name)
                    .hasMessageContaining(problem);
        }
    }
}
