package org.careline.report;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.careline.config.NotificationRules;
import org.careline.config.ReportsMapping;
import org.careline.config.Settings;
import org.careline.config.SiteDirectory;
import org.careline.config.SmtpSettings;
import org.careline.model.AlertRouting;
import org.careline.store.AlertLog;
import org.careline.store.Database;
import org.careline.store.KpiReports;
import org.careline.store.RetryPolicy;
import org.careline.support.EngineFixture;
import org.careline.support.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report's e-mail while the SMTP server is down: retried (not sent, not lost) until it is back, then sent once
 * and never again; down past the give-up time, DEAD with its reason and a report_undelivered alert.
 */
class ReportMailRetryTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private Database db;
    private MutableClock clock;
    private MonthlyReports round;
    private int port;
    private GreenMail smtp;

    @BeforeEach
    void setUp() throws Exception {
        port = EngineFixture.freePort();
        Path dir = Files.createTempDirectory("careline-report-mail");
        db = Database.open(Settings.from(Map.of("CARELINE_DB_URL", "jdbc:h2:file:" + dir.resolve("db")
                + ";WRITE_DELAY=0")).database());
        clock = new MutableClock(NOW);
        SiteDirectory sites = SiteDirectory.load(Path.of("mappings"), ZoneId.of("America/New_York"), "US");
        NotificationRules notifications = new NotificationRules(Map.of("managers",
                new NotificationRules.Email("managers", List.of("managers@gh-clinic.example.org"))), Map.of());
        ReportsMapping mapping = new ReportsMapping(new ReportsMapping.SiteReport(BigDecimal.ZERO, "USD", List.of()),
                Map.of("gh-clinic", new ReportsMapping.SiteReport(new BigDecimal("160"), "USD", List.of("managers"))));
        KpiReports store = new KpiReports();
        ReportMaker maker = new ReportMaker(db, store, sites, mapping, () -> (site, month) ->
                EmptyFigures.of(site, month), clock);
        Map<String, String> off = new LinkedHashMap<>();
        SmtpSettings smtpSettings = new SmtpSettings("127.0.0.1", port, null, null, "careline@example.org", false);
        round = new MonthlyReports(maker, db, store, ReportWiring.channels(mapping, sites, notifications,
                smtpSettings, off), off, new AlertLog(AlertRouting.NONE), new RetryPolicy(Duration.ofMinutes(1),
                Duration.ofMinutes(30), Integer.MAX_VALUE, 0), Duration.ofDays(2), clock);
    }

    @AfterEach
    void tearDown() {
        if (smtp != null) {
            smtp.stop();
        }
        db.close();
    }

    @Test
    void aMailNotSentWhileTheServerIsDownIsSentOnceWhenItIsBack() throws Exception {
        assertThat(round.makeDue()).as("one per shipped site: main, demo-clinic, gh-clinic, royal-london")
                .isEqualTo(4);
        assertThat(round.deliverDue()).isZero();
        assertThat(delivery()).containsEntry("status", "PENDING").containsEntry("attempts", "1");
        assertThat(delivery().get("last_error")).startsWith("SMTP");

        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        assertThat(round.run()).as("not due yet: the retry waits its backoff").isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(round.run()).isEqualTo(1);
        assertThat(delivery()).containsEntry("status", "SENT").containsEntry("attempts", "2");
        clock.advance(Duration.ofHours(2));
        assertThat(round.run()).isZero();
        assertThat(round.makeDue()).as("the month's reports exist").isZero();
        assertThat(smtp.getReceivedMessages()).hasSize(1);
        assertThat(smtp.getReceivedMessages()[0].getHeader(ReportMail.REPORT_ID_HEADER)).hasSize(1);
    }

    @Test
    void aMailStillNotSentAfterTheGiveUpTimeIsDeadAndRaisesAnAlert() throws Exception {
        round.run();
        for (int i = 0; i < 12; i++) {
            clock.advance(Duration.ofHours(6));
            round.deliverDue();
        }
        assertThat(delivery()).containsEntry("status", "DEAD");
        assertThat(delivery().get("last_error")).startsWith("gave up after");
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT kind, site_code, subject FROM alert");
             ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(MonthlyReports.ALERT_KIND);
            assertThat(rs.getString(2)).isEqualTo("gh-clinic");
            assertThat(rs.getString(3)).startsWith("kpi_report:");
            assertThat(rs.next()).isFalse();
        }
    }

    private Map<String, String> delivery() throws Exception {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT status, attempts, last_error FROM kpi_report_delivery");
             ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            Map<String, String> row = new LinkedHashMap<>();
            row.put("status", rs.getString(1));
            row.put("attempts", rs.getString(2));
            row.put("last_error", rs.getString(3));
            assertThat(rs.next()).isFalse();
            return row;
        }
    }
}
