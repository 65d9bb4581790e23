package org.careline.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.careline.support.Browser;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MetaWebhooks;
import org.careline.support.Siu;
import org.careline.support.StaffClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard against a real engine in headless Chromium: bookings over MLLP, Meta's signed statuses and a
 * patient's reply, then the page's table shows what the test did and the charts are drawn with no script error.
 * The screenshot is the README's (target/screenshots/dashboard-e2e-1-dashboard.png → docs/img/dashboard.png).
 * The clock is fixed in the clinic's afternoon, so no quiet hours hold the confirmations back.
 */
class DashboardEndToEndBrowserTest {

    private static final String ADMIN_PASSWORD = "first-admin-password-1";
    private static final Instant NOW = Instant.parse("2026-11-20T16:00:00Z");
    private static final String PATIENT = "16082719000"; // Siu.booking's phone, as WhatsApp writes it

    private EngineFixture fx;
    private Browser browser;

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void theTableShowsWhatHappenedAndTheChartsAreDrawn() throws Exception {
        fx = EngineFixture.start(Map.of("CARELINE_ADMIN_PASSWORD", ADMIN_PASSWORD, "CARELINE_STATS_SETTLE_MS", "0",
                "CARELINE_STATS_INTERVAL_MS", "250"), NOW);
        int bookings = 6;
        for (int i = 0; i < bookings; i++) {
            Flow.accepted(fx, Siu.booking(NOW.plus(Duration.ofDays(3)).plus(Duration.ofHours(i)))
                    .fillerId("DASH-" + i).newControlId());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.meta.received().size() == bookings);
        List<String> wamids = fx.query("SELECT wamid FROM outbox WHERE status = 'SENT' ORDER BY id").stream()
                .map(r -> (String) r.get("WAMID")).toList();
        assertThat(wamids).hasSize(bookings);
        // Meta reports: all delivered, four read, one of the rest failed.
        for (int i = 0; i < bookings; i++) {
            List<ObjectNode> statuses = new java.util.ArrayList<>();
            statuses.add(MetaWebhooks.status(wamids.get(i), "delivered", NOW.plusSeconds(5)));
            if (i < 4) {
                statuses.add(MetaWebhooks.status(wamids.get(i), "read", NOW.plusSeconds(9)));
            }
            assertThat(MetaWebhooks.post(fx, MetaWebhooks.statusPayload(statuses.toArray(ObjectNode[]::new)))
                    .status()).isEqualTo(200);
        }
        ObjectNode reply = MetaWebhooks.textMessage(MetaWebhooks.newWamid(), PATIENT, NOW.plusSeconds(20));
        ((ObjectNode) MetaWebhooks.messages(reply).get(0)).putObject("text").put("body", "CONFIRM");
        assertThat(MetaWebhooks.post(fx, reply).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                fx.count("SELECT COUNT(*) FROM webhook_delivery WHERE processed_at IS NULL") == 0
                        && fx.count("SELECT COUNT(*) FROM inbound_reply WHERE intent = 'CONFIRM'") == 1);

        browser = Browser.desktop("dashboard-e2e", "http://127.0.0.1:" + fx.httpPort());
        browser.open("/console/");
        browser.type("username", "admin");
        browser.type("password", ADMIN_PASSWORD);
        browser.click("signin");
        browser.untilText("whoami", "admin");
        browser.open("/console/#/dashboard?site=gh-clinic&period=7d");
        browser.test("page-dashboard");
        browser.until(Duration.ofSeconds(20), d -> !browser.all("figure-row").isEmpty());

        Map<String, String> figures = new LinkedHashMap<>();
        for (WebElement row : browser.all("figure-row")) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            figures.put(cells.get(1).getText(), cells.get(2).getText());
        }
        assertThat(figures).containsEntry("Appointments booked", String.valueOf(bookings))
                .containsEntry("Messages sent", String.valueOf(bookings))
                .containsEntry("Delivered", "6 (100.0 %)")
                .containsEntry("Read", "4 (66.7 %)")
                .containsEntry("Replies: Confirmed", "1");
        for (String chart : List.of("messages", "noshows", "replies", "queues", "failures")) {
            browser.until(d -> Boolean.TRUE.equals(browser.script(
                    "const c = document.querySelector('[data-test=chart-' + arguments[0] + ']');"
                            + " return !!(window.Chart && c && Chart.getChart(c) && c.width > 0);", chart)));
        }
        browser.screenshot("1-dashboard");
        assertThat(browser.severeLogs().stream()
                .filter(m -> !m.contains("/api/v1/session - Failed to load resource")).toList()).isEmpty();

        // The page shows what the API answers, to the same caller.
        StaffClient api = new StaffClient(fx.httpPort()).signedIn("admin", ADMIN_PASSWORD);
        assertThat(api.get("/api/v1/stats/summary?site=gh-clinic&period=7d").json()
                .path("messages").path("total").path("read").asLong()).isEqualTo(4);
    }
}
