package org.careline.report;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import org.careline.support.EngineFixture;
import org.careline.support.StaffClient;
import org.careline.support.TestMappings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The running engine: a report made on demand through the API, listed and downloaded as CSV and PDF, refused for a
 * month not over, a malformed month, an unknown site and a site the caller may not see; the monthly round makes every
 * site's report once the month has ended and e-mails gh-clinic's to its channel once, PDF and CSV attached.
 */
class ReportFlowTest {

    /** 20 November 2026: November is under way everywhere; the tests move the clock past its end. */
    private static final Instant START = Instant.parse("2026-11-20T15:00:00Z");
    /** 1 December 2026, 12:00 UTC: November has ended in New York (main), Detroit and London. */
    private static final Instant AFTER = Instant.parse("2026-12-01T12:00:00Z");
    private static final String PASSWORD = "report-password-123";

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withPerMethodLifecycle(false);

    static EngineFixture fx;
    static StaffClient admin;

    @BeforeAll
    static void start() throws Exception {
        Path mappings = TestMappings.copy();
        Files.writeString(mappings.resolve("notifications.yaml"), """
                channels:
                  managers:
                    type: email
                    to: [managers@gh-clinic.example.org]
                routes: {}
                """);
        Files.writeString(mappings.resolve("reports.yaml"), """
                default:
                  costPerSlot: 0
                sites:
                  gh-clinic:
                    costPerSlot: 160
                    currency: USD
                    channels: [managers]
                """);
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_MAPPINGS_DIR", mappings.toString());
        env.put("CARELINE_ADMIN_PASSWORD", PASSWORD);
        env.put("CARELINE_SMTP_HOST", "127.0.0.1");
        env.put("CARELINE_SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()));
        env.put("CARELINE_SMTP_STARTTLS", "false");
        env.put("CARELINE_SMTP_FROM", "careline@gh-clinic.example.org");
        fx = EngineFixture.start(env, START);
        // The statistics service's place: gh-clinic's November as written by hand, nothing elsewhere.
        MonthFigures figures = (site, month) -> site.equals("gh-clinic") && month.equals(Figures.MONTH)
                ? Figures.november() : EmptyFigures.of(site, month);
        fx.engine.camelContext().getRegistry().bind(MonthFigures.BEAN, MonthFigures.class, figures);
        fx.clock.set(AFTER);
        admin = new StaffClient(fx.httpPort()).signedIn("admin", PASSWORD);
        assertThat(admin.post("/api/v1/users", "{\"username\":\"london-nurse\",\"password\":\"" + PASSWORD
                + "\",\"roles\":[\"staff\"],\"sites\":[\"royal-london\"]}").status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/users", "{\"username\":\"analyst\",\"password\":\"" + PASSWORD
                + "\",\"roles\":[\"analyst\"]}").status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @Test
    void aReportMadeOnDemandIsKeptListedAndDownloadedAsCsvAndPdf() throws Exception {
        StaffClient.Answer made = admin.post("/api/v1/reports", "{\"site\":\"gh-clinic\",\"month\":\"2026-11\"}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        long id = made.json().get("id").asLong();
        assertThat(made.json().get("site").asText()).isEqualTo("gh-clinic");
        assertThat(made.json().get("month").asText()).isEqualTo("2026-11");
        assertThat(made.json().get("trigger").asText()).isEqualTo("on-demand");
        assertThat(made.json().get("requestedBy").asText()).isEqualTo("admin");
        assertThat(Instant.parse(made.json().get("createdAt").asText())).isEqualTo(AFTER);

        StaffClient.Answer list = admin.get("/api/v1/reports?site=gh-clinic");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("reports").get(0).get("id").asLong()).isEqualTo(id);
        list.json().get("reports").forEach(r -> assertThat(r.get("site").asText()).isEqualTo("gh-clinic"));

        StaffClient.Download csv = admin.download("/api/v1/reports/" + id + "/csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).isEqualTo("text/csv; charset=utf-8");
        assertThat(csv.header("Content-Disposition")).isEqualTo("attachment; filename=\"careline-gh-clinic-2026-11.csv\"");
        Map<String, String[]> rows = KpiReportTest.parse(csv.body());
        assertThat(rows.get("messages|sent")[2]).isEqualTo("960");
        assertThat(rows.get("no_shows|difference")[2]).isEqualTo("0.1563");
        assertThat(rows.get("savings|estimated_value")).containsExactly("savings", "estimated_value", "8000.00", "USD");
        assertThat(rows.get("report|time_zone")[2]).isEqualTo("America/Detroit");

        StaffClient.Download pdf = admin.download("/api/v1/reports/" + id + "/pdf");
        assertThat(pdf.header("Cache-Control")).isEqualTo("no-store");
        assertThat(pdf.status()).isEqualTo(200);
        assertThat(pdf.header("Content-Type")).isEqualTo("application/pdf");
        assertThat(pdf.header("Content-Disposition")).isEqualTo("attachment; filename=\"careline-gh-clinic-2026-11.pdf\"");
        assertThat(new String(pdf.body(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("%PDF");
        PdfReader reader = new PdfReader(pdf.body());
        assertThat(reader.getNumberOfPages()).isEqualTo(3);
        assertThat(new PdfTextExtractor(reader).getTextFromPage(1)).contains("gh-clinic").contains("November 2026")
                .contains("8000.00 USD");
        reader.close();

        // Made again: the same row, its files replaced.
        StaffClient.Answer again = admin.post("/api/v1/reports", "{\"site\":\"gh-clinic\",\"month\":\"2026-11\"}");
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("id").asLong()).isEqualTo(id);
        assertThat(fx.count("SELECT COUNT(*) FROM kpi_report WHERE site_code = 'gh-clinic' AND report_month = '2026-11'"))
                .isEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM audit_event WHERE action = 'report_download_pdf' AND subject = ?",
                "kpi_report:" + id)).isEqualTo(1);
    }

    @Test
    void staffMakeAndSeeReportsOfTheirSitesOnly() {
        StaffClient nurse = new StaffClient(fx.httpPort()).signedIn("london-nurse", PASSWORD);
        assertThat(nurse.post("/api/v1/reports", "{\"site\":\"gh-clinic\",\"month\":\"2026-11\"}").status())
                .isEqualTo(403);
        assertThat(nurse.get("/api/v1/reports?site=gh-clinic").status()).isEqualTo(403);
        StaffClient.Answer own = nurse.post("/api/v1/reports", "{\"site\":\"royal-london\",\"month\":\"2026-11\"}");
        assertThat(own.status()).as(own.body()).isEqualTo(201);
        StaffClient.Answer list = nurse.get("/api/v1/reports");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("reports")).isNotEmpty();
        list.json().get("reports").forEach(r -> assertThat(r.get("site").asText()).isEqualTo("royal-london"));

        long ghReport = admin.post("/api/v1/reports", "{\"site\":\"gh-clinic\",\"month\":\"2026-10\"}").json()
                .get("id").asLong();
        assertThat(nurse.download("/api/v1/reports/" + ghReport + "/pdf").status()).isEqualTo(403);
        assertThat(nurse.download("/api/v1/reports/" + ghReport + "/csv").status()).isEqualTo(403);
        assertThat(nurse.download("/api/v1/reports/987654/csv").status()).isEqualTo(404);
        StaffClient analyst = new StaffClient(fx.httpPort()).signedIn("analyst", PASSWORD);
        assertThat(analyst.download("/api/v1/reports/" + ghReport + "/pdf").status()).isEqualTo(403);
    }

    @Test
    void aMonthNotOverAMalformedMonthAndAnUnknownSiteAreRefused() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"site\":\"gh-clinic\",\"month\":\"2026-12\"}", "not over");
        cases.put("{\"site\":\"gh-clinic\",\"month\":\"2027-03\"}", "not over");
        cases.put("{\"site\":\"gh-clinic\",\"month\":\"2026-13\"}", "YYYY-MM");
        cases.put("{\"site\":\"gh-clinic\",\"month\":\"Nov 2026\"}", "YYYY-MM");
        cases.put("{\"site\":\"gh-clinic\"}", "YYYY-MM");
        cases.put("{\"site\":\"nowhere\",\"month\":\"2026-11\"}", "no such site");
        cases.put("{\"month\":\"2026-11\"}", "site is required");
        cases.put("[1]", "JSON object");
        cases.forEach((body, says) -> {
            StaffClient.Answer a = admin.post("/api/v1/reports", body);
            assertThat(a.status()).as(body).isEqualTo(400);
            assertThat(a.json().get("error").asText()).as(body).contains(says);
        });
    }

    @Test
    void theMonthlyRoundMakesEverySitesReportAndMailsItsChannelOnceWithBothFiles() throws Exception {
        MonthlyReports round = fx.engine.camelContext().getRegistry().lookupByNameAndType("monthlyReports",
                MonthlyReports.class);
        round.run();
        // One per shipped site: main, demo-clinic, gh-clinic, royal-london.
        assertThat(fx.count("SELECT COUNT(*) FROM kpi_report WHERE report_month = '2026-11'")).isEqualTo(4);
        await().atMost(Duration.ofSeconds(20)).until(() -> novemberMails() == 1);
        round.run();
        round.run();
        assertThat(novemberMails()).isEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM kpi_report_delivery d JOIN kpi_report r ON r.id = d.report_id "
                + "WHERE r.report_month = '2026-11' AND d.status = 'SENT' AND d.channel = 'managers' "
                + "AND r.site_code = 'gh-clinic'")).isEqualTo(1);
        // Only gh-clinic names a channel.
        assertThat(fx.count("SELECT COUNT(*) FROM kpi_report_delivery d JOIN kpi_report r ON r.id = d.report_id "
                + "WHERE r.report_month = '2026-11'")).isEqualTo(1);

        MimeMessage mail = novemberMail();
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("managers@gh-clinic.example.org");
        Map<String, byte[]> files = attachments(mail);
        assertThat(files).containsOnlyKeys("careline-gh-clinic-2026-11.pdf", "careline-gh-clinic-2026-11.csv");
        assertThat(KpiReportTest.parse(files.get("careline-gh-clinic-2026-11.csv")).get("messages|sent")[2])
                .isEqualTo("960");
        PdfReader reader = new PdfReader(files.get("careline-gh-clinic-2026-11.pdf"));
        assertThat(new PdfTextExtractor(reader).getTextFromPage(1)).contains("GH Clinic").contains("2026-11");
        reader.close();
    }

    private static long novemberMails() throws Exception {
        long n = 0;
        for (MimeMessage m : smtp.getReceivedMessages()) {
            if (m.getSubject().contains("2026-11")) {
                n++;
            }
        }
        return n;
    }

    private static MimeMessage novemberMail() throws Exception {
        for (MimeMessage m : smtp.getReceivedMessages()) {
            if (m.getSubject().contains("gh-clinic") && m.getSubject().contains("2026-11")) {
                return m;
            }
        }
        throw new AssertionError("no mail for gh-clinic 2026-11");
    }

    static Map<String, byte[]> attachments(MimeMessage mail) throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        Multipart parts = (Multipart) mail.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart p = parts.getBodyPart(i);
            if (Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition())) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                p.getInputStream().transferTo(bytes);
                out.put(p.getFileName(), bytes.toByteArray());
            }
        }
        return out;
    }
}
