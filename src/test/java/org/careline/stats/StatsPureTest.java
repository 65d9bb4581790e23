package org.careline.stats;

import org.careline.store.StatsRollups.Fact;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The figures' pure decisions, as tables: days, percentiles, no-show groups, periods, what a log row counts as. */
class StatsPureTest {

    @ParameterizedTest(name = "{0} in {1} is {2}")
    @CsvSource({
            "2026-11-30T23:30:00Z, Europe/Berlin, 2026-12-01",
            "2026-11-30T22:59:59Z, Europe/Berlin, 2026-11-30",
            "2026-12-01T04:00:00Z, America/Chicago, 2026-11-30",
            "2026-12-01T06:00:00Z, America/Chicago, 2026-12-01",
            // spring forward (Berlin 2026-03-29 02:00 → 03:00): 22:00Z the day before is 23:00 local
            "2026-03-28T22:30:00Z, Europe/Berlin, 2026-03-28",
            "2026-03-28T23:00:00Z, Europe/Berlin, 2026-03-29",
            // fall back (Berlin 2026-10-25 03:00 → 02:00): 22:00Z is already midnight (UTC+2 before)
            "2026-10-24T22:00:00Z, Europe/Berlin, 2026-10-25",
            "2026-10-24T21:59:59Z, Europe/Berlin, 2026-10-24",
            "2026-10-25T22:59:59Z, Europe/Berlin, 2026-10-25",
            "2026-10-25T23:00:00Z, Europe/Berlin, 2026-10-26",
            // New York's DST start: 2026-03-08 02:00 local
            "2026-03-08T04:59:59Z, America/New_York, 2026-03-07",
            "2026-03-08T05:00:00Z, America/New_York, 2026-03-08",
            "2026-03-09T03:59:59Z, America/New_York, 2026-03-08",
            "2026-03-09T04:00:00Z, America/New_York, 2026-03-09",
            "2026-06-01T11:00:00Z, Pacific/Kiritimati, 2026-06-02",
    })
    void anEventCountsOnItsLocalDay(String at, String zone, String day) {
        assertThat(LocalDays.dayOf(Instant.parse(at), ZoneId.of(zone))).isEqualTo(LocalDate.parse(day));
    }

    @ParameterizedTest(name = "{0} in {1} starts at {2} and lasts {3} h")
    @CsvSource({
            "2026-03-29, Europe/Berlin, 2026-03-28T23:00:00Z, 23",
            "2026-10-25, Europe/Berlin, 2026-10-24T22:00:00Z, 25",
            "2026-11-15, Europe/Berlin, 2026-11-14T23:00:00Z, 24",
            "2026-03-08, America/New_York, 2026-03-08T05:00:00Z, 23",
            // Santiago skips midnight when DST starts: the day starts at 01:00 local
            "2026-09-06, America/Santiago, 2026-09-06T04:00:00Z, 23",
    })
    void aLocalDayHasItsOwnBounds(String day, String zone, String start, long hours) {
        LocalDate d = LocalDate.parse(day);
        ZoneId z = ZoneId.of(zone);
        assertThat(LocalDays.startOf(d, z)).isEqualTo(Instant.parse(start));
        assertThat(java.time.Duration.between(LocalDays.startOf(d, z), LocalDays.endOf(d, z)).toHours())
                .isEqualTo(hours);
    }

    @ParameterizedTest(name = "p{1} of [{0}] = {2}")
    @CsvSource(delimiter = ';', value = {
            "; 50; ",
            "7; 50; 7",
            "7; 90; 7",
            "1,2; 50; 1",
            "1,2; 90; 2",
            "1,2,3; 50; 2",
            "1,2,3,4,5,6,7,8,9,10; 50; 5",
            "1,2,3,4,5,6,7,8,9,10; 90; 9",
            "1,2,3,4,5,6,7,8,9,10,11; 90; 10",
            "1,2,3,4,5,6,7,8,9,10,11; 50; 6",
            "60,60,60,3600; 90; 3600",
            "5,10,20,40,80,160,320,640,1280,2560,5120,10240,20480,40960,81920,163840,327680,655360,1310720,2621440; 90; 655360",
    })
    void percentilesAreNearestRank(String values, int p, Long expected) {
        List<Long> sorted = values == null ? List.of()
                : Arrays.stream(values.split(",")).map(Long::valueOf).sorted().collect(Collectors.toList());
        assertThat(Percentiles.nearestRank(sorted, p)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "confirmed={0} reached={1} → {2}")
    @CsvSource({
            "true, true, CONFIRMED",
            "true, false, CONFIRMED",
            "false, true, REACHED_NOT_CONFIRMED",
            "false, false, NOT_REACHED",
    })
    void noShowGroupsDoNotOverlap(boolean confirmed, boolean reached, NoShowGroup group) {
        assertThat(NoShowGroup.of(confirmed, reached)).isEqualTo(group);
    }

    @ParameterizedTest(name = "period={0} from={1} to={2} → {3}..{4} {5}")
    @CsvSource({
            ",,, 2026-11-24, 2026-11-30,",
            "today,,, 2026-11-30, 2026-11-30,",
            "7d,,, 2026-11-24, 2026-11-30,",
            "30d,,, 2026-11-01, 2026-11-30,",
            ", 2026-11-01, 2026-11-30, 2026-11-01, 2026-11-30,",
            ", 2026-11-05, 2026-11-05, 2026-11-05, 2026-11-05,",
            ", 2025-11-01, 2026-12-05, 2025-11-01, 2026-12-05,",
            ", 2025-11-01, 2026-12-06,,, a range may cover at most 400 days",
            "1y,,,,, 'period must be today, 7d or 30d'",
            ", 2026-11-30, 2026-11-01,,, to is before from",
            ", 2026-11-01,,,, 'from and to go together (ISO dates, e.g. from=2026-11-01&to=2026-11-30)'",
            ", 2026-13-01, 2026-12-01,,, from and to must be ISO dates (YYYY-MM-DD)",
            ", 01/11/2026, 2026-12-01,,, from and to must be ISO dates (YYYY-MM-DD)",
            "7d, 2026-11-01, 2026-11-30,,, 'give either period or from and to, not both'",
    })
    void periodsAreParsed(String period, String from, String to, String expectFrom, String expectTo, String error) {
        StatsPeriod.Choice c = StatsPeriod.parse(period, from, to, LocalDate.parse("2026-11-30"));
        if (error != null) {
            assertThat(c).isEqualTo(new StatsPeriod.Invalid(error));
        } else {
            assertThat(c).isEqualTo(new StatsPeriod.Range(LocalDate.parse(expectFrom), LocalDate.parse(expectTo)));
        }
    }

    @ParameterizedTest(name = "{0} {1} first={2} afterFailed={3} → {4}")
    @CsvSource(delimiter = ';', value = {
            "sent; ; false; false; sent:REMINDER",
            "delivered; ; true; false; delivered:REMINDER",
            "delivered; ; false; false; ",
            "read; ; true; false; read:REMINDER delivered:REMINDER",
            "read; ; false; false; read:REMINDER",
            "failed; 131026: Message undeliverable; false; false; failed:REMINDER failure:131026|Message undeliverable",
            "failed; no error code: failed status without details; false; false; failed:REMINDER failure:|failed status without details",
            "dead; Recipient not on WhatsApp; false; false; failed:REMINDER failure:470|Recipient not on WhatsApp",
            "dead; 131026: Message undeliverable; false; true; ",
            "queued; opt-out; false; false; opt_out:",
            "queued; reminder-48h; false; false; ",
            "retry; timeout; false; false; ",
            "skipped; opted out; false; false; ",
    })
    void messageEventsCountAs(String event, String detail, boolean firstReach, boolean afterFailed, String hits) {
        Fact f = new Fact(1, Instant.EPOCH, "north", "cardio", "REMINDER", event, detail, 470, firstReach, afterFailed);
        assertThat(FactFigures.ofMessageEvent(f).stream().map(h -> h.figure() + ":" + h.detail())
                .collect(Collectors.joining(" "))).isEqualTo(hits == null ? "" : hits);
    }

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource(delimiter = ';', value = {
            "TEXT; sent; ",
            "SERVICE_TEXT; queued; opt_out:",
            "LOCATION; read; ",
            "FOLLOW_UP; sent; sent:FOLLOW_UP",
            "RESULTS_AVAILABLE; sent; sent:RESULTS_AVAILABLE",
            "; sent; ",
    })
    void onlyTemplateMessagesAreCounted(String kind, String event, String hits) {
        Fact f = new Fact(1, Instant.EPOCH, "", "", kind, event, "SERVICE_TEXT".equals(kind) ? "opt-out" : "w", null,
                true, false);
        assertThat(FactFigures.ofMessageEvent(f).stream().map(h -> h.figure() + ":" + h.detail())
                .collect(Collectors.joining(" "))).isEqualTo(hits == null ? "" : hits);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "CONFIRM, confirm", "CHANGE, change", "CANCEL, cancel", "LOCATION, location", "HELP, help", "STOP, stop",
            "OTHER, other", "EMERGENCY,", "START,", "THANKS,", "IGNORED,", "CONSENT_YES,", ",", "SOMETHING_NEW,",
    })
    void repliesCountByIntent(String intent, String key) {
        Fact f = new Fact(1, Instant.EPOCH, "", "", null, intent, null, null, false, false);
        assertThat(FactFigures.ofReply(f)).isEqualTo(key == null ? List.of()
                : List.of(new FactFigures.Hit(FactFigures.REPLY, key)));
    }

    @ParameterizedTest(name = "{0} → {1} / {2}")
    @CsvSource(delimiter = ';', value = {
            "131026|Message undeliverable; 131026; Message undeliverable",
            "|failed; ; failed",
            "470|; 470; ",
            "1|a|b; 1; a|b",
    })
    void failureDetailsSplit(String detail, Integer code, String reason) {
        assertThat(FactFigures.causeCode(detail)).isEqualTo(code);
        assertThat(FactFigures.causeReason(detail)).isEqualTo(reason);
    }
}
