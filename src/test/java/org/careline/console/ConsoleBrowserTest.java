package org.careline.console;

import org.careline.support.Browser;
import org.careline.support.ConsoleStandIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real headless Chromium (skipped where there is none), against {@link ConsoleStandIn}: the
 * console's own files with an in-memory API after the contract. Screenshots go to target/screenshots/.
 */
class ConsoleBrowserTest {

    private ConsoleStandIn api;
    private Browser browser;

    @BeforeEach
    void start() throws Exception {
        api = new ConsoleStandIn();
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        api.close();
    }

    private Browser desktop(String test) {
        browser = Browser.desktop(test, api.baseUrl());
        return browser;
    }

    private void signIn(String user, String password) {
        browser.open("/console/");
        browser.type("username", user);
        browser.type("password", password);
        browser.click("signin");
        browser.test("whoami");
        browser.untilText("whoami", user);
    }

    /** Script errors and CSP refusals (the console has no inline script or style, so there must be none). */
    private void assertNoScriptOrPolicyErrors() {
        List<String> severe = browser.severeLogs().stream()
                .filter(m -> !m.contains("Failed to load resource")) // the 401/409 answers the page expects
                .toList();
        assertThat(severe).isEmpty();
    }

    @Test
    void staffClaimAnswerAndResolveAnEmergencyThatHeadsTheQueue() {
        api.handoff("nurse", false, "NOT_UNDERSTOOD", "Is there parking nearby?");
        ConsoleStandIn.Handoff emergency = api.handoff("emergency", true, "EMERGENCY", "I have chest pain");
        desktop("staff-emergency");

        browser.open("/console/");
        browser.test("page-signin");
        browser.screenshot("1-signin");
        signIn("nurse", "nurse-pass-1");

        // Staff see their pages only.
        assertThat(browser.all("nav-queues")).hasSize(1);
        assertThat(browser.all("nav-handoffs")).hasSize(1);
        assertThat(browser.all("nav-dead-letters")).isEmpty();
        assertThat(browser.all("nav-users")).isEmpty();

        browser.test("page-queues");
        browser.until(d -> browser.all("handoff-row").size() == 2);
        WebElement first = browser.all("handoff-row").get(0);
        assertThat(first.getAttribute("data-id")).isEqualTo(String.valueOf(emergency.id));
        assertThat(first.getAttribute("class")).contains("urgent");
        assertThat(first.getText()).contains("EMERGENCY");
        assertThat(first.findElement(By.tagName("td")).getCssValue("background-color")).isNotEqualTo(
                browser.all("handoff-row").get(1).findElement(By.tagName("td")).getCssValue("background-color"));
        browser.screenshot("2-queues");

        first.findElement(By.cssSelector("[data-test=handoff-link]")).click();
        browser.test("page-handoff");
        assertThat(browser.test("patient-name").getText()).isEqualTo("Ana Test");
        assertThat(browser.test("patient-phone").getText()).isEqualTo("+16082719000");
        assertThat(browser.test("messages").getText()).contains("I have chest pain");
        assertThat(browser.test("appointment").getText()).contains("Cardiology follow-up").contains("Dr. Rivera");
        assertThat(browser.test("window").getText()).matches("Window open until (\\d{4}-\\d\\d-\\d\\d )?\\d\\d:\\d\\d");
        // Not claimed: no reply, no resolve.
        assertThat(browser.test("reply").isEnabled()).isFalse();
        assertThat(browser.test("resolve").isEnabled()).isFalse();
        assertThat(browser.test("claim").isEnabled()).isTrue();
        browser.screenshot("3-handoff");

        browser.click("claim");
        browser.untilText("badges", "claimed by nurse");
        assertThat(api.calls("/claim")).singleElement().satisfies(c -> assertThat(c.csrf()).isNotBlank());
        browser.until(d -> browser.test("reply").isEnabled());

        browser.type("reply-text", "Please call 911 now. A nurse will call you in 5 minutes.");
        browser.click("reply");
        browser.untilText("flash", "Reply queued");
        assertThat(api.calls("/reply")).singleElement().satisfies(c -> {
            assertThat(c.body()).contains("Please call 911 now");
            assertThat(c.csrf()).isNotBlank();
        });
        browser.untilText("events", "REPLIED");
        assertThat(browser.test("reply-text").getAttribute("value")).isEmpty();

        browser.type("note-text", "Called back, patient on the way to ER.");
        browser.click("note");
        browser.untilText("events", "NOTE");
        browser.screenshot("4-answered");

        browser.click("resolve");
        browser.untilText("badges", "RESOLVED");
        browser.until(d -> !browser.test("resolve").isEnabled() && !browser.test("claim").isEnabled()
                && !browser.test("note").isEnabled());
        assertThat(emergency.status).isEqualTo("RESOLVED");
        browser.screenshot("5-resolved");
        assertNoScriptOrPolicyErrors();
    }

    @Test
    void aNewEmergencyAppearsAtTheTopWithoutAReload() {
        api.handoff("pharmacy", false, "REFILL", "I need a refill");
        desktop("new-emergency");
        signIn("nurse", "nurse-pass-1");
        browser.until(d -> browser.all("handoff-row").size() == 1);
        browser.script("window.__sameDocument = 'yes';");

        ConsoleStandIn.Handoff arrived = api.handoff("emergency", true, "EMERGENCY", "I cannot breathe");
        browser.until(Duration.ofSeconds(15), d -> browser.all("handoff-row").size() == 2);
        WebElement first = browser.all("handoff-row").get(0);
        assertThat(first.getAttribute("data-id")).isEqualTo(String.valueOf(arrived.id));
        assertThat(first.getAttribute("data-urgent")).isEqualTo("true");
        assertThat(browser.script("return window.__sameDocument")).isEqualTo("yes");
        assertThat(browser.all("queue-row").get(0).getAttribute("data-queue")).isEqualTo("emergency");
        browser.screenshot("arrived");
    }

    @Test
    void outsideTheWindowOnlyTheFollowUpTemplateIsOffered() {
        ConsoleStandIn.Handoff late = api.handoff("nurse", false, "HELP", "help");
        late.windowOpen = false;
        desktop("window-closed");
        signIn("nurse", "nurse-pass-1");
        browser.open("/console/#/handoffs/" + late.id);
        browser.untilText("window", "Window closed: only the follow-up template can be sent");
        browser.click("claim");
        browser.untilText("badges", "claimed by nurse");
        assertThat(browser.test("reply").isEnabled()).isFalse();
        assertThat(browser.test("followup-offer").getText()).contains("staff_follow_up");
        browser.until(d -> browser.test("follow-up").isEnabled());
        browser.screenshot("offer");
        browser.click("follow-up");
        browser.untilText("flash", "Follow-up template queued");
        assertThat(api.calls("/follow-up")).hasSize(1);
        browser.untilText("events", "TEMPLATE");
    }

    @Test
    void aReplyRefusedBecauseTheWindowClosedMeanwhileTurnsIntoTheFollowUpOffer() {
        ConsoleStandIn.Handoff h = api.handoff("nurse", false, "HELP", "help");
        h.windowClosesOnReply = true;
        desktop("window-closed-meanwhile");
        signIn("nurse", "nurse-pass-1");
        browser.open("/console/#/handoffs/" + h.id);
        browser.untilText("window", "Window open until");
        browser.click("claim");
        browser.until(d -> browser.test("reply").isEnabled());
        browser.type("reply-text", "We will call you tomorrow.");
        browser.click("reply");
        browser.untilText("flash", "24-hour window has closed");
        browser.untilText("window", "Window closed");
        assertThat(browser.test("followup-offer").isDisplayed()).isTrue();
        assertThat(browser.test("follow-up").isEnabled()).isTrue();
        assertThat(browser.test("reply").isEnabled()).isFalse();
        // What the nurse wrote is not lost.
        assertThat(browser.test("reply-text").getAttribute("value")).isEqualTo("We will call you tomorrow.");
        browser.screenshot("offer");
    }

    @Test
    void onAPhoneEverythingFitsInOneColumn() {
        api.handoff("emergency", true, "EMERGENCY", "I have chest pain and my left arm hurts a lot since this morning");
        api.handoff("nurse", false, "NOT_UNDERSTOOD", "Is there parking nearby?");
        browser = Browser.phone("phone", api.baseUrl());
        signIn("nurse", "nurse-pass-1");
        browser.until(d -> browser.all("handoff-row").size() == 2);
        assertThat(browser.scrollWidth()).isLessThanOrEqualTo(browser.viewportWidth());
        // Rows are cards: the table's header row is not shown, each cell is labelled instead.
        assertThat(browser.driver().findElement(By.cssSelector("[data-test=handoffs] thead")).isDisplayed()).isFalse();
        browser.screenshot("queues");

        browser.all("handoff-row").get(0).findElement(By.cssSelector("[data-test=handoff-link]")).click();
        browser.test("page-handoff");
        List<WebElement> columns = browser.driver().findElements(By.cssSelector(".columns > .column"));
        assertThat(columns).hasSize(2);
        assertThat(columns.get(1).getRect().getY()).isGreaterThanOrEqualTo(
                columns.get(0).getRect().getY() + columns.get(0).getRect().getHeight());
        assertThat(browser.scrollWidth()).isLessThanOrEqualTo(browser.viewportWidth());
        browser.screenshot("handoff");
    }

    @Test
    void anAnalystRetriesADeadLetterAndSeesNoPatientPages() {
        api.deadLetter("outbox-12", "Cloud API 131026: receiver incapable");
        api.deadLetter("writeback-3", "scheduling system answered AR");
        api.alert("EMERGENCY_UNCLAIMED", "critical", "handoff:101");
        desktop("analyst");
        signIn("analyst", "analyst-pass-1");
        assertThat(browser.all("nav-dead-letters")).hasSize(1);
        assertThat(browser.all("nav-inbound")).hasSize(1);
        assertThat(browser.all("nav-alerts")).hasSize(1);
        assertThat(browser.all("nav-queues")).isEmpty();
        assertThat(browser.all("nav-audit")).isEmpty();

        browser.test("page-dead-letters");
        browser.until(d -> browser.all("dead-letter-row").size() == 2);
        browser.screenshot("1-dead-letters");
        WebElement row = browser.driver().findElement(By.cssSelector("[data-test=dead-letter-row][data-id='outbox-12']"));
        row.findElement(By.cssSelector("[data-test=retry]")).click();
        browser.untilText("flash", "Retried outbox-12");
        browser.until(d -> browser.all("dead-letter-row").size() == 1);
        assertThat(api.calls("/dead-letters/outbox-12/retry")).singleElement()
                .satisfies(c -> assertThat(c.csrf()).isNotBlank());
        browser.screenshot("2-retried");

        browser.click("nav-alerts");
        browser.until(d -> browser.all("alert-row").size() == 1);
        browser.click("ack");
        browser.untilText("alert-row", "analyst");

        browser.click("nav-inbound");
        browser.until(d -> browser.all("inbound-row").size() == 1);
        browser.until(d -> browser.all("inbound-fhir-row").size() == 1); // the FHIR notifications beside HL7
        browser.click("replay");
        browser.untilText("flash", "Replayed MSG00042: AA");

        // A patient page by its address: the page says it is not allowed, and asks the API nothing.
        browser.open("/console/#/queues");
        browser.test("not-allowed");
        browser.screenshot("3-not-allowed");
        assertNoScriptOrPolicyErrors();
    }

    @Test
    void anAdminSeesEveryPageAddsAUserAndSeesANewTokenOnce() {
        api.handoff("nurse", false, "HELP", "help");
        desktop("admin");
        signIn("admin", "admin-pass-1");
        for (String page : List.of("queues", "handoffs", "dead-letters", "inbound", "alerts", "audit", "users")) {
            browser.click("nav-" + page);
            browser.test("page-" + page);
            assertThat(browser.all("error")).as(page).isEmpty();
            assertThat(browser.all("not-allowed")).as(page).isEmpty();
        }
        browser.until(d -> browser.all("user-row").size() == 4);
        browser.type("new-username", "frontdesk");
        browser.type("new-password", "a-long-password-1");
        browser.click("new-role-staff");
        browser.click("create-user");
        browser.untilText("flash", "User frontdesk added");
        browser.until(d -> browser.all("user-row").size() == 5);
        assertThat(api.calls("/users")).singleElement().satisfies(c ->
                assertThat(c.body()).contains("\"roles\":[\"staff\"]").contains("\"sites\":null"));

        browser.type("token-username", "frontdesk");
        browser.type("token-name", "monitoring");
        browser.click("create-token");
        assertThat(browser.test("token-value").getAttribute("value")).startsWith("clt_");
        assertThat(browser.test("token").getText()).contains("shown only this once");
        browser.screenshot("token");
        assertNoScriptOrPolicyErrors();
    }

    @Test
    void aWrongPasswordIsRefusedAndAnEndedSessionLeadsBackToSignIn() {
        api.handoff("nurse", false, "HELP", "help");
        desktop("session");
        browser.open("/console/");
        browser.type("username", "nurse");
        browser.type("password", "wrong");
        browser.click("signin");
        browser.untilText("signin-error", "Sign-in failed");
        assertThat(browser.all("nav-queues")).isEmpty();

        browser.type("password", "nurse-pass-1");
        browser.click("signin");
        browser.test("page-queues");
        // A reload keeps the session (the cookie) and the CSRF token (GET /session hands it out again).
        browser.driver().navigate().refresh();
        browser.test("page-queues");
        api.endSessions();
        browser.until(Duration.ofSeconds(15), d -> !browser.all("page-signin").isEmpty());
        browser.untilText("flash", "session has ended");
        browser.screenshot("ended");
    }

    @Test
    void whatPatientsWriteIsShownAsTextNeverAsMarkup() {
        ConsoleStandIn.Handoff h = api.handoff("nurse", false, "NOT_UNDERSTOOD",
                "<img src=x onerror=\"document.title='pwned'\"><b>bold</b>");
        h.patientName = "<script>document.title='pwned'</script>Ana";
        desktop("escaping");
        signIn("nurse", "nurse-pass-1");
        browser.open("/console/#/handoffs/" + h.id);
        browser.untilText("messages", "<img src=x");
        assertThat(browser.test("patient-name").getText()).isEqualTo("<script>document.title='pwned'</script>Ana");
        assertThat(browser.driver().findElements(By.cssSelector("[data-test=messages] img, [data-test=messages] b")))
                .isEmpty();
        assertThat(browser.driver().getTitle()).doesNotContain("pwned");
    }
}
