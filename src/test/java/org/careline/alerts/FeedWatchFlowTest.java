package org.careline.alerts;

import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.Siu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A silent feed in the running engine: HL7 over MLLP, then nothing for longer than CARELINE_FEED_SILENT_AFTER →
 * one feed_silent warning naming the sender (no patient data); a second look raises nothing more; a message from
 * the sender clears it.
 */
class FeedWatchFlowTest {

    private EngineFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = EngineFixture.start(Map.of("CARELINE_FEED_SILENT_AFTER", "30m"), Instant.now());
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    @Test
    void aSenderQuietForTooLongRaisesOneWarningThatItsNextMessageClears() throws Exception {
        FeedWatch watch = fx.engine.camelContext().getRegistry().lookupByNameAndType("feedWatch", FeedWatch.class);
        Flow.accepted(fx, Siu.booking(fx.clock.instant().plus(Duration.ofDays(3))).controlId("FEED-1"));
        watch.check();
        assertThat(fx.count("SELECT COUNT(*) FROM alert WHERE kind = 'feed_silent'")).isZero();

        fx.clock.advance(Duration.ofMinutes(31));
        watch.check();
        watch.check();
        assertThat(fx.query("SELECT severity, subject, detail, cleared_at FROM alert WHERE kind = 'feed_silent'"))
                .singleElement().satisfies(a -> {
                    assertThat(a).containsEntry("SEVERITY", "warning").containsEntry("CLEARED_AT", null);
                    assertThat(a.get("SUBJECT").toString()).startsWith("feed:");
                    assertThat(a.get("DETAIL").toString()).contains("no HL7 message for over 30 min")
                            .doesNotContain("DOE", "JANE");
                });

        Flow.accepted(fx, Siu.booking(fx.clock.instant().plus(Duration.ofDays(3))).controlId("FEED-2"));
        watch.check();
        assertThat(fx.count("SELECT COUNT(*) FROM alert WHERE kind = 'feed_silent' AND cleared_at IS NULL")).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM alert WHERE kind = 'feed_silent'")).isEqualTo(1);
    }
}
