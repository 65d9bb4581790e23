package org.careline.report;

import org.careline.config.ReportsMapping;
import org.careline.model.KpiFigures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The report's rows and CSV from figures written by hand, and the pure decisions behind them, as tables of cases. */
public class KpiReportTest {

    static final Instant MADE = Instant.parse("2026-12-01T06:00:00Z");
    static final ReportsMapping.SiteReport COST = new ReportsMapping.SiteReport(new BigDecimal("160"), "USD", List.of());

    static KpiReport report() {
        return KpiReport.of(new KpiReport.Header("gh-clinic", "GH Clinic, Ann Arbor", Figures.MONTH,
                ZoneId.of("America/Detroit"), MADE, "USD"), Figures.november(), COST);
    }

    @ParameterizedTest(name = "reached {0}/{1} + {2}/{3}, not reached {4}/{5}, cost {6} → {7} avoided, {8}")
    @CsvSource({
            // confirmed appts, no-shows, reached-not-confirmed appts, no-shows, not reached appts, no-shows, cost
            "240, 6, 80, 8, 50, 10, 160, 50.00, 8000.00",   // (0.2 − 14/320) × 320 = 64 − 14
            "10, 1, 0, 0, 30, 9, 100, 2.00, 200.00",        // (0.3 − 0.1) × 10
            "10, 5, 0, 0, 10, 1, 100, 0.00, 0.00",          // reached missed more: never below 0
            "10, 1, 0, 0, 0, 0, 100, 0.00, 0.00",           // nobody not reached: no comparison
            "0, 0, 0, 0, 20, 5, 100, 0.00, 0.00",           // nobody reached
            "3, 0, 0, 0, 3, 1, 95.5, 1.00, 95.50",          // (1/3 − 0) × 3 = 1 exactly, not 0.9999
            "7, 0, 0, 0, 3, 1, 10, 2.33, 23.33",            // 7/3 = 2.333…, rounded once
            "7, 0, 0, 0, 3, 1, 0, 2.33, 0.00",              // cost not set
    })
    void slotsSavedAreTheNoShowsReachingPatientsAvoidedTimesTheCost(long ca, long cn, long ra, long rn, long na,
                                                                      long nn, String cost, String avoided,
                                                                      String value) {
        SlotsSaved s = SlotsSaved.estimate(new KpiFigures.NoShowSplit(new KpiFigures.NoShowGroup(ca, cn),
                new KpiFigures.NoShowGroup(ra, rn), new KpiFigures.NoShowGroup(na, nn)), new BigDecimal(cost));
        assertThat(s.noShowsAvoided().toPlainString()).isEqualTo(avoided);
        assertThat(s.value().toPlainString()).isEqualTo(value);
    }

    @ParameterizedTest(name = "{0}/{1} → {2}")
    @CsvSource({"0, 0, 0.0000", "1, 3, 0.3333", "2, 3, 0.6667", "1, 8, 0.1250", "5, 5, 1.0000", "1, 20000, 0.0001",
            "1, 20001, 0.0000"})
    void ratesAreDecimalsWithFourPlacesHalfUp(long part, long whole, String expected) {
        assertThat(KpiReport.ratio(part, whole).toPlainString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"PT0S, 0", "PT12.4S, 12", "PT12.5S, 13", "PT12M34S, 754", "PT2H, 7200"})
    void timesAreWholeSeconds(String duration, String seconds) {
        assertThat(KpiReport.seconds(Duration.parse(duration))).isEqualTo(seconds);
    }

    @ParameterizedTest(name = "{0} in {1} at {2} → {3}")
    @CsvSource({
            "2026-11, America/Detroit, 2026-12-01T04:59:59Z, NotOver",   // 23:59:59 on the 30th in Detroit
            "2026-11, America/Detroit, 2026-12-01T05:00:00Z, Over",      // midnight in Detroit
            "2026-11, Europe/London, 2026-12-01T00:00:00Z, Over",
            "2026-11, Pacific/Auckland, 2026-11-30T10:59:59Z, NotOver",  // 23:59:59 on the 30th in Auckland (NZDT)
            "2026-11, Pacific/Auckland, 2026-11-30T11:00:00Z, Over",
            "2027-01, Europe/London, 2026-12-15T00:00:00Z, NotOver",     // to come
            "2026-12, Europe/London, 2026-12-15T00:00:00Z, NotOver",     // under way
            "2026-13, Europe/London, 2026-12-15T00:00:00Z, Malformed",
            "2026-1, Europe/London, 2026-12-15T00:00:00Z, Malformed",
            "November, Europe/London, 2026-12-15T00:00:00Z, Malformed",
            "'', Europe/London, 2026-12-15T00:00:00Z, Malformed",
    })
    void aMonthMayBeReportedOnceItHasEndedInTheSitesZone(String month, String zone, String now, String outcome) {
        ReportMonth.Check c = ReportMonth.check(month, ZoneId.of(zone), Instant.parse(now));
        assertThat(c.getClass().getSimpleName()).isEqualTo(outcome);
        assertThat(ReportMonth.refusal(c) == null).isEqualTo(outcome.equals("Over"));
    }

    @ParameterizedTest(name = "{0} in {1} → {2}")
    @CsvSource({"2026-12-01T04:59:59Z, America/Detroit, 2026-10", "2026-12-01T05:00:00Z, America/Detroit, 2026-11",
            "2027-01-01T00:30:00Z, Europe/London, 2026-12", "2026-11-30T11:00:00Z, Pacific/Auckland, 2026-11"})
    void theMonthlyRunReportsTheLastMonthEndedInTheSitesZone(String now, String zone, String month) {
        assertThat(ReportMonth.lastEnded(Instant.parse(now), ZoneId.of(zone))).hasToString(month);
    }

    @ParameterizedTest(name = "[{0}] → [{1}]")
    @CsvSource(delimiter = '|', value = {
            "gh-clinic|gh-clinic",
            "GH Clinic, Ann Arbor|\"GH Clinic, Ann Arbor\"",
            "say \"hi\"|\"say \"\"hi\"\"\"",
            "''|''",
    })
    void csvFieldsAreQuotedOnlyWhenTheyMustBe(String value, String field) {
        assertThat(ReportCsv.field(value)).isEqualTo(field);
    }

    @Test
    void aLineBreakInAFieldIsQuotedToo() {
        assertThat(ReportCsv.field("two\r\nlines")).isEqualTo("\"two\r\nlines\"");
    }

    @ParameterizedTest(name = "({0}, {1}) = {2} {3}")
    @CsvSource({
            "report, site, gh-clinic, ''",
            "report, site_name, 'GH Clinic, Ann Arbor', ''",
            "report, month, 2026-11, ''",
            "report, time_zone, America/Detroit, ''",
            "report, made_at, 2026-12-01T06:00:00Z, ''",
            "report, first_day, 2026-11-01, ''",
            "report, last_day, 2026-11-30, ''",
            "volumes, appointments_booked, 412, count",
            "messages, sent, 960, count",
            "messages, delivery_rate, 0.9698, ratio",
            "messages, read_rate, 0.7313, ratio",
            "messages.confirmation, sent, 400, count",
            "messages.confirmation, delivery_rate, 0.9750, ratio",
            "messages.reminder, failed, 11, count",
            "replies, confirm, 250, count",
            "replies, total, 350, count",
            "replies, confirmations_sent, 400, count",
            "replies, confirmation_rate, 0.6250, ratio",
            "replies, cancellation_rate, 0.0450, ratio",
            "no_shows, confirmed.rate, 0.0250, ratio",
            "no_shows, reached_not_confirmed.rate, 0.1000, ratio",
            "no_shows, reached.appointments, 320, count",
            "no_shows, reached.no_shows, 14, count",
            "no_shows, reached.rate, 0.0438, ratio",
            "no_shows, not_reached.rate, 0.2000, ratio",
            "no_shows, difference, 0.1563, ratio",
            "queue.front-desk, median_first_answer, 754, seconds",
            "queue.front-desk, p90_first_answer, 2850, seconds",
            "queue.front-desk, sla_kept_rate, 0.8750, ratio",
            "queue.nurse, median_first_answer, '', seconds",
            "queue.nurse, sla_kept_rate, 0.0000, ratio",
            "patients, opt_outs, 3, count",
            "patients, emergencies, 2, count",
            "results, notices_sent, 44, count",
            "results, links_opened, 30, count",
            "failures, 131026 Message undeliverable, 12, count",
            "failures, 'Meta chose not to deliver, this message', '', ''",
            "failures, unknown, 1, count",
            "savings, no_shows_avoided, 50.00, appointments",
            "savings, cost_per_slot, 160.00, USD",
            "savings, estimated_value, 8000.00, USD",
            "daily.2026-11-07, sent, 7, count",
            "daily.2026-11-07, delivered, 6, count",
            "daily.2026-11-30, failed, 1, count",
    })
    void everyFigureIsOneCsvRowFoundByItsSectionAndName(String section, String figure, String value, String unit) {
        Map<String, String[]> rows = parse(ReportCsv.write(report()));
        if (value.isEmpty() && unit.isEmpty() && section.equals("failures")) {
            // A reason with a comma stays one field.
            assertThat(rows).containsKey("failures|131049 " + figure);
            return;
        }
        assertThat(rows).containsKey(section + "|" + figure);
        assertThat(rows.get(section + "|" + figure)).containsExactly(section, figure, value, unit);
    }

    @Test
    void theCsvStartsWithItsHeaderAndEndsEveryLineWithCrLf() {
        String csv = new String(ReportCsv.write(report()), StandardCharsets.UTF_8);
        assertThat(csv).startsWith("section,figure,value,unit\r\nreport,site,gh-clinic,\r\n"
                + "report,site_name,\"GH Clinic, Ann Arbor\",\r\nreport,month,2026-11,\r\n");
        assertThat(csv.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
        assertThat(csv).endsWith("daily.2026-11-30,replies,2,count\r\n");
        // One row per figure: no (section, figure) twice.
        List<String> keys = new ArrayList<>();
        report().figures().forEach(f -> keys.add(f.section() + "|" + f.figure()));
        assertThat(keys).doesNotHaveDuplicates();
    }

    /** RFC 4180 read back: (section|figure) → the row's four fields. */
    /** A report's CSV as (section|figure) → its four cells; the header line checked. */
    public static Map<String, String[]> parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<List<String>> lines = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    f.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                fields.add(f.toString());
                f.setLength(0);
            } else if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                fields.add(f.toString());
                f.setLength(0);
                lines.add(fields);
                fields = new ArrayList<>();
                i++;
            } else {
                f.append(ch);
            }
        }
        Map<String, String[]> rows = new LinkedHashMap<>();
        assertThat(lines.get(0)).containsExactly("section", "figure", "value", "unit");
        for (List<String> line : lines.subList(1, lines.size())) {
            assertThat(line).hasSize(4);
            rows.put(line.get(0) + "|" + line.get(1), line.toArray(String[]::new));
        }
        return rows;
    }
}
