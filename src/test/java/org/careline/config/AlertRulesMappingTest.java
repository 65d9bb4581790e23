package org.careline.config;

import org.careline.model.AlertSeverity;
import org.careline.model.WatchedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** mappings/alerts.yaml: the shipped file is the defaults, a missing one too; mistakes name file, line and key. */
class AlertRulesMappingTest {

    @TempDir
    Path dir;

    private AlertRulesMapping load(String yaml) throws IOException {
        Files.writeString(dir.resolve(AlertRulesMapping.FILE), yaml);
        return AlertRulesMapping.load(dir, Set.of("main", "gh-clinic")::contains, Set.of("oncall"),
                Set.of("emergency", "nurse")::contains);
    }

    @Test
    void theShippedFileHoldsTheDefaults() {
        AlertRulesMapping shipped = AlertRulesMapping.load(Path.of("mappings"),
                Set.of("main", "gh-clinic", "royal-london")::contains, Set.of(), q -> true);
        assertThat(shipped).isEqualTo(AlertRulesMapping.defaults());
        assertThat(AlertRulesMapping.load(dir, s -> true, Set.of(), q -> true)).isEqualTo(AlertRulesMapping.defaults());
    }

    @Test
    void keysLeftOutKeepTheirDefaultsAndOverridesApply() throws IOException {
        AlertRulesMapping r = load("""
                rules:
                  send_failure_rate: { threshold: 25, channels: [oncall] }
                  queue_age:
                    queues: { outbox: 5m }
                  dead_letters: { enabled: false }
                  feed_silent:
                    sites:
                      gh-clinic: { hours: "Mon-Sat 08:00-18:00" }
                      main: { enabled: false }
                  keyword_rate:
                    watch:
                      nurse: { queue: nurse }
                """);
        assertThat(r.sendFailureRate().percent()).isEqualTo(25);
        assertThat(r.sendFailureRate().window()).isEqualTo(Duration.ofMinutes(15));
        assertThat(r.sendFailureRate().delivery().channels()).containsExactly("oncall");
        assertThat(r.sendFailureRate().delivery().severity()).isEqualTo(AlertSeverity.WARNING);
        assertThat(r.queueAge().thresholds()).containsOnlyKeys(WatchedQueue.OUTBOX);
        assertThat(r.deadLetters().delivery().enabled()).isFalse();
        assertThat(r.feedSilent().forSite("gh-clinic")).get()
                .satisfies(w -> assertThat(w.hours().text()).isEqualTo("Mon-Sat 08:00-18:00"))
                .satisfies(w -> assertThat(w.after()).isEqualTo(Duration.ofMinutes(60)));
        assertThat(r.feedSilent().forSite("main")).isEmpty();
        assertThat(r.feedSilent().forSite("royal-london")).isPresent();
        assertThat(r.keywordRate().watches()).containsExactly(
                new AlertRulesMapping.Watch("nurse", new AlertRulesMapping.ByQueue("nurse")));
        assertThat(r.sendingPaused()).isEqualTo(AlertRulesMapping.defaults().sendingPaused());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "rules:\\n  queue_lag: {}\\n| 2 | rules.queue_lag | unknown key",
            "rules:\\n  send_failure_rate:\\n    window: 15 minutes\\n| 3 | rules.send_failure_rate.window | not a duration",
            "rules:\\n  feed_silent:\\n    sites:\\n      st-elsewhere: {}\\n| 4 | rules.feed_silent.sites.st-elsewhere | not a site",
            "rules:\\n  dead_letters:\\n    channels: [pager]\\n| 3 | rules.dead_letters.channels[0] | not a channel",
            "rules:\\n  queue_age:\\n    queues: { inbox: 5m }\\n| 3 | rules.queue_age.queues.inbox | not a queue",
            "rules:\\n  feed_silent:\\n    hours: weekdays 9-5\\n| 3 | rules.feed_silent.hours | not a period",
            "rules:\\n  keyword_rate:\\n    watch:\\n      x: { intent: panic }\\n| 4 | rules.keyword_rate.watch.x.intent | not an intent",
            "rules:\\n  keyword_rate:\\n    watch:\\n      x: { queue: billing }\\n| 4 | rules.keyword_rate.watch.x.queue | not a queue",
            "rules:\\n  keyword_rate:\\n    watch:\\n      x: { queue: nurse, words: [pain] }\\n| 4 | rules.keyword_rate.watch.x | exactly one",
            "rules:\\n  sending_paused:\\n    severity: loud\\n| 3 | rules.sending_paused.severity | not a severity",
            "rules:\\n  send_failure_rate:\\n    threshold: 150\\n| 3 | rules.send_failure_rate.threshold | percentage",
    })
    void mistakesNameTheFileLineAndKey(String yaml, int line, String key, String problem) throws IOException {
        MappingException e = catchThrowableOfType(MappingException.class, () -> load(yaml.replace("\\n", "\n")));
        assertThat(e).as(yaml).isNotNull();
        assertThat(e.getMessage()).contains(AlertRulesMapping.FILE).contains(problem);
        assertThat(e.key()).contains(key);
        assertThat(e.line()).hasValue(line);
    }

    @Test
    void wordsAreKeptInLowerCase() throws IOException {
        AlertRulesMapping r = load("rules:\n  keyword_rate:\n    watch:\n      pain: { words: [Pain, \"Chest Pain\"] }\n");
        assertThat(r.keywordRate().words()).isEqualTo(List.of("pain", "chest pain"));
    }
}
