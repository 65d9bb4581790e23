package org.careline.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure pieces behind the metrics: the pause's reason label, the send-rate window, the bearer header. */
class MetricsDecisionsTest {

    @ParameterizedTest(name = "code {0} → {1}")
    @CsvSource(nullValues = "null", value = {
            "190, access_token",
            "104, access_token",
            "null, access_token",
            "368, policy_block",
            "131031, other",
            "2, other"})
    void aPauseIsLabelledFromAFixedSet(Integer code, String label) {
        assertThat(PauseReason.of(code).label()).isEqualTo(label);
    }

    @ParameterizedTest(name = "{0} sends at +{1}s, read at +{2}s → {3}/s")
    @CsvSource({
            // sends, at second, read at second, per second
            "60, 0, 0, 0",      // the second under way is not finished: not counted yet
            "60, 0, 1, 1",
            "60, 0, 60, 1",     // still inside the last 60 whole seconds
            "60, 0, 61, 0",     // gone from the window
            "30, 0, 30, 0.5",
            "6, 100, 120, 0.1",
            "60, 0, 3600, 0"})  // a bucket from an earlier lap of the ring counts nothing
    void theSendRateIsTheLastSixtyWholeSeconds(int sends, long at, long readAt, double perSecond) {
        SendRateWindow w = new SendRateWindow();
        Instant t0 = Instant.parse("2026-11-01T10:00:00Z");
        for (int i = 0; i < sends; i++) {
            w.record(t0.plusSeconds(at).plusMillis(i % 1000));
        }
        assertThat(w.perSecond(t0.plusSeconds(readAt))).isEqualTo(perSecond);
    }

    @Test
    void aBucketReusedOnTheNextLapStartsFromZero() {
        SendRateWindow w = new SendRateWindow();
        Instant t0 = Instant.parse("2026-11-01T10:00:00Z");
        for (int i = 0; i < 61; i++) {
            w.record(t0);
        }
        // 61 s later the same slot of the ring counts a new second
        w.record(t0.plusSeconds(SendRateWindow.SECONDS + 1));
        assertThat(w.perSecond(t0.plusSeconds(SendRateWindow.SECONDS + 2))).isEqualTo(1 / 60.0);
    }

    @ParameterizedTest(name = "[{0}] → [{1}]")
    @CsvSource(nullValues = "null", value = {
            "'Bearer abc', abc",
            "'bearer abc ', abc",
            "'Bearer ', null",
            "'Basic abc', null",
            "null, null",
            "'careline_session=abc', null"})
    void onlyABearerHeaderCarriesAToken(String header, String token) {
        assertThat(MetricsEndpoint.bearer(header).orElse(null)).isEqualTo(token);
    }
}
