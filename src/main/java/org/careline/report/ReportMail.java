package org.careline.report;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import org.careline.alerts.DeliveryOutcome;
import org.careline.alerts.SmtpPost;
import org.careline.config.SmtpSettings;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One e-mail channel of notifications.yaml as the report's way out: a short text and the report's PDF and CSV
 * attached, through the SMTP server of CARELINE_SMTP_* (the session settings the alert e-mails use: timeouts,
 * STARTTLS required when set). Counts only; the text names the site, the month and where to download it again.
 */
public final class ReportMail {

    /** The header that names the report in every copy, so a receiver (or a test) can tell reports apart. */
    public static final String REPORT_ID_HEADER = "X-Careline-Report-Id";

    private final String name;
    private final SmtpPost post;

    public ReportMail(String name, List<String> to, SmtpSettings smtp) {
        this.name = name;
        this.post = new SmtpPost(to, smtp);
    }

    public String name() {
        return name;
    }

    /** What one e-mail carries. */
    public record Letter(long reportId, String site, String siteName, String month, byte[] pdf, byte[] csv) {
    }

    /** One attempt; never throws for a server that is down, it says so in the outcome. */
    public DeliveryOutcome send(Letter l) {
        MimeMessage mail;
        try {
            mail = post.draft();
            mail.setSubject("[Careline] Monthly report " + l.siteName() + " (" + l.site() + ") " + l.month(),
                    StandardCharsets.UTF_8.name());
            MimeBodyPart text = new MimeBodyPart();
            text.setText("The Careline monthly KPI report of " + l.siteName() + " (" + l.site() + ") for "
                    + l.month() + " is attached as PDF and CSV.\n\nIt is kept for download in the console and at "
                    + "GET /api/v1/reports/" + l.reportId() + "/pdf (or /csv).\n\nCounts only: nothing in it is "
                    + "about one patient.\n", StandardCharsets.UTF_8.name());
            MimeMultipart parts = new MimeMultipart();
            parts.addBodyPart(text);
            parts.addBodyPart(attachment(l.pdf(), ReportPdf.CONTENT_TYPE, ReportFiles.filename(l.site(), l.month(),
                    "pdf")));
            parts.addBodyPart(attachment(l.csv(), ReportCsv.CONTENT_TYPE, ReportFiles.filename(l.site(), l.month(),
                    "csv")));
            mail.setContent(parts);
            mail.setHeader(REPORT_ID_HEADER, String.valueOf(l.reportId()));
        } catch (MessagingException e) {
            return SmtpPost.unsendable(e);
        }
        return post.send(mail);
    }

    private static MimeBodyPart attachment(byte[] bytes, String type, String filename) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes, type)));
        part.setFileName(filename);
        part.setDisposition(MimeBodyPart.ATTACHMENT);
        return part;
    }

}
