package org.careline.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.careline.model.KpiFigures;
import org.careline.support.Browser;
import org.careline.support.ConsoleStandIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard page in a real headless Chromium against {@link ConsoleStandIn}, whose figures are a
 * {@link KpiFigures} written by the API's own JSON settings: the table shows each figure, every chart is drawn by
 * the Chart.js the engine serves, with no script or policy error. The end-to-end figures (a real engine's) are
 * checked in {@code stats}' scripted month.
 */
class DashboardBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final LocalDate FROM = LocalDate.of(2026, 11, 1);
    private static final LocalDate TO = LocalDate.of(2026, 11, 3);

    private ConsoleStandIn api;
    private Browser browser;

    @BeforeEach
    void start() throws Exception {
        api = new ConsoleStandIn();
        KpiFigures.MessageCounts total = new KpiFigures.MessageCounts(120, 110, 80, 4);
        KpiFigures f = new KpiFigures("gh-clinic", null, FROM, TO, 57,
                new KpiFigures.Messages(total, List.of(
                        new KpiFigures.KindCounts("CONFIRMATION", new KpiFigures.MessageCounts(57, 55, 40, 1)),
                        new KpiFigures.KindCounts("REMINDER", new KpiFigures.MessageCounts(63, 55, 40, 3)))),
                new KpiFigures.Replies(31, 4, 6, 2, 1, 1, 9), 1,
                List.of(new KpiFigures.QueueFigures("nurse", 9, 8, Duration.ofMinutes(12), Duration.ofMinutes(95), 7)),
                2, new KpiFigures.Results(14, 9),
                new KpiFigures.NoShowSplit(new KpiFigures.NoShowGroup(30, 1), new KpiFigures.NoShowGroup(20, 2),
                        new KpiFigures.NoShowGroup(10, 3)),
                List.of(new KpiFigures.FailureCause(131026, "Message undeliverable", 3),
                        new KpiFigures.FailureCause(131047, "Re-engagement message", 1)),
                List.of(day(FROM, 20, 40), day(FROM.plusDays(1), 17, 50), day(TO, 20, 30)));
        api.stats.put("/stats/sites", Map.of("sites", List.of(
                Map.of("code", "gh-clinic", "name", "GH Clinic", "zone", "America/Detroit",
                        "services", List.of("cardio", "derm")),
                Map.of("code", "north", "name", "North", "zone", "Europe/Paris", "services", List.of("derm")))));
        api.stats.put("/stats/summary", JSON.convertValue(f, Map.class));
        api.stats.put("/stats/messages", Map.of("site", "gh-clinic", "from", FROM.toString(), "to", TO.toString(),
                "total", Map.of("sent", 120, "delivered", 110, "read", 80, "failed", 4), "byKind", List.of(),
                "daily", f.daily().stream().map(d -> Map.of("day", d.day().toString(), "sent", d.messages().sent(),
                        "delivered", d.messages().delivered(), "read", d.messages().read(),
                        "failed", d.messages().failed())).toList()));
        api.stats.put("/stats/replies", Map.of("replies", Map.of("confirm", 31, "change", 4, "cancel", 6,
                "location", 2, "help", 1, "stop", 1, "other", 9), "optOuts", 1, "daily", List.of()));
        Map<String, Object> queue = new LinkedHashMap<>();
        queue.put("queue", "nurse");
        queue.put("items", 9);
        queue.put("answered", 8);
        queue.put("medianFirstAnswerSeconds", 720);
        queue.put("p90FirstAnswerSeconds", 5700);
        queue.put("slaKept", 7);
        queue.put("slaKeptRate", 7 / 9.0);
        api.stats.put("/stats/queues", Map.of("queues", List.of(queue), "emergencies", 2));
        api.stats.put("/stats/no-shows", Map.of(
                "confirmed", group(30, 1), "reachedNotConfirmed", group(20, 2), "notReached", group(10, 3),
                "reached", group(50, 3), "difference", 0.3 - 0.06));
        api.stats.put("/stats/failures", Map.of("failures", List.of(
                Map.of("code", 131026, "reason", "Message undeliverable", "count", 3),
                Map.of("code", 131047, "reason", "Re-engagement message", "count", 1))));
    }

    private static KpiFigures.DayFigures day(LocalDate d, long booked, long sent) {
        return new KpiFigures.DayFigures(d, booked, new KpiFigures.MessageCounts(sent, sent - 2, sent / 2, 1), 5);
    }

    private static Map<String, Object> group(long appointments, long noShows) {
        return Map.of("appointments", appointments, "noShows", noShows, "rate", (double) noShows / appointments);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        api.close();
    }

    @Test
    void staffSeeTheFiguresAsATableAndAsChartsAndMakeAMonthlyReport() {
        browser = Browser.desktop("dashboard", api.baseUrl());
        browser.open("/console/");
        browser.type("username", "nurse");
        browser.type("password", "nurse-pass-1");
        browser.click("signin");
        browser.untilText("whoami", "nurse");
        browser.click("nav-dashboard");
        browser.test("page-dashboard");
        browser.until(d -> browser.all("figure-row").size() > 20);

        Map<String, String> figures = new LinkedHashMap<>();
        for (WebElement row : browser.all("figure-row")) {
            List<WebElement> cells = row.findElements(org.openqa.selenium.By.tagName("td"));
            figures.put(cells.get(1).getText(), cells.get(2).getText());
        }
        assertThat(figures).containsEntry("Appointments booked", "57")
                .containsEntry("Messages sent", "120")
                .containsEntry("Delivered", "110 (91.7 %)")
                .containsEntry("Read", "80 (66.7 %)")
                .containsEntry("Replies: Confirmed", "31")
                .containsEntry("Opt-outs", "1")
                .containsEntry("Emergencies", "2")
                .containsEntry("Queue nurse: items / answered / SLA kept", "9 / 8 / 7 (77.8 %)")
                .containsEntry("Queue nurse: first answer, median / 90th percentile", "12 min / 1 h 35 min")
                .containsEntry("No-shows, confirmed", "1 of 30 (3.3 %)")
                .containsEntry("No-shows, reached (all)", "3 of 50 (6.0 %)")
                .containsEntry("No-shows, not reached", "3 of 10 (30.0 %)")
                .containsEntry("No-show rate, not reached minus reached", "24.0 points")
                .containsEntry("Portal links opened", "9")
                .containsEntry("Failed: 131026 Message undeliverable", "3");

        // Every chart drawn by Chart.js (served by the engine, not a CDN) on its canvas.
        for (String chart : List.of("messages", "noshows", "replies", "queues", "failures")) {
            browser.until(d -> Boolean.TRUE.equals(browser.script(
                    "const c = document.querySelector('[data-test=chart-' + arguments[0] + ']');"
                            + " return !!(window.Chart && c && Chart.getChart(c) && c.width > 0);", chart)));
        }
        assertThat(browser.script("return Chart.getChart(document.querySelector('[data-test=chart-messages]'))"
                + ".data.datasets[0].data.join(',')")).isEqualTo("40,50,30");
        assertThat(browser.test("dash-noshow-difference").getText()).contains("24.0 percentage points");
        browser.screenshot("1-dashboard");

        // A chosen site and range go to the API as asked.
        browser.script("document.querySelector('[data-test=dash-site]').value = 'north';"
                + "document.querySelector('[data-test=dash-site]').dispatchEvent(new Event('change'));"
                + "document.querySelector('[data-test=dash-period]').value = 'range';"
                + "document.querySelector('[data-test=dash-period]').dispatchEvent(new Event('change'));"
                + "document.querySelector('[data-test=dash-from]').value = '2026-10-01';"
                + "document.querySelector('[data-test=dash-to]').value = '2026-10-31';");
        browser.click("dash-apply");
        browser.until(d -> api.statsQueries.contains("/stats/summary?site=north&from=2026-10-01&to=2026-10-31"));

        // The monthly report of the chosen site: made on demand, listed with its downloads.
        browser.test("report-month");
        browser.script("document.querySelector('[data-test=report-month]').value = '2026-10';");
        browser.click("report-make");
        browser.until(d -> browser.all("report-row").size() == 1);
        assertThat(api.calls("/reports")).singleElement()
                .satisfies(c -> assertThat(c.body()).contains("\"site\":\"north\"").contains("\"month\":\"2026-10\""));
        assertThat(browser.test("report-pdf").getAttribute("href")).endsWith("/api/v1/reports/"
                + api.reports.get(0).get("id") + "/pdf");
        browser.screenshot("2-report");

        List<String> severe = browser.severeLogs().stream()
                .filter(m -> !m.contains("/api/v1/session - Failed to load resource")) // the 401 before sign-in
                .toList();
        assertThat(severe).isEmpty();
    }

    @Test
    void analystsHaveNoDashboard() {
        browser = Browser.desktop("dashboard-analyst", api.baseUrl());
        browser.open("/console/");
        browser.type("username", "analyst");
        browser.type("password", "analyst-pass-1");
        browser.click("signin");
        browser.untilText("whoami", "analyst");
        assertThat(browser.all("nav-dashboard")).isEmpty();
        browser.open("/console/#/dashboard");
        browser.test("not-allowed");
    }
}
