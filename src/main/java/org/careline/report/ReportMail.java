package org.careline.report;

import jakarta.activation.DataHandler;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import org.careline.alerts.DeliveryOutcome;
import org.careline.alerts.MailAlertChannel;
import org.careline.config.SmtpSettings;

import java.nio.charset.StandardCharsets;
import java.util.Date;
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
    private final List<String> to;
    private final SmtpSettings smtp;
    private final Session session;

    public ReportMail(String name, List<String> to, SmtpSettings smtp) {
        this.name = name;
        this.to = List.copyOf(to);
        this.smtp = smtp;
        this.session = Session.getInstance(MailAlertChannel.properties(smtp));
    }

    public String name() {
        return name;
    }

    /** What one e-mail carries. */
    public record Letter(long reportId, String site, String siteName, String month, byte[] pdf, byte[] csv) {
    }

    /** One attempt; never throws for a server that is down, it says so in the outcome. */
    public DeliveryOutcome send(Letter l) {
        try {
            MimeMessage mail = new MimeMessage(session);
            mail.setFrom(new InternetAddress(smtp.from()));
            for (String address : to) {
                mail.addRecipient(Message.RecipientType.TO, new InternetAddress(address));
            }
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
            mail.setSentDate(new Date());
            mail.setHeader(REPORT_ID_HEADER, String.valueOf(l.reportId()));
            if (smtp.user() != null) {
                Transport.send(mail, smtp.user(), smtp.password() == null ? "" : smtp.password());
            } else {
                Transport.send(mail);
            }
            return new DeliveryOutcome.Delivered();
        } catch (SendFailedException e) {
            // Every address refused: no retry changes the server's mind. Anything else in it (a 4xx) is transient.
            if (e.getInvalidAddresses() != null && e.getInvalidAddresses().length > 0
                    && (e.getValidSentAddresses() == null || e.getValidSentAddresses().length == 0)
                    && (e.getValidUnsentAddresses() == null || e.getValidUnsentAddresses().length == 0)) {
                return new DeliveryOutcome.Refused("SMTP refused every recipient: " + oneLine(e));
            }
            return new DeliveryOutcome.Retry("SMTP: " + oneLine(e), null);
        } catch (AuthenticationFailedException e) {
            return new DeliveryOutcome.Retry("SMTP login refused (check CARELINE_SMTP_USER / CARELINE_SMTP_PASSWORD)",
                    null);
        } catch (MessagingException e) {
            return new DeliveryOutcome.Retry("SMTP: " + oneLine(e), null);
        }
    }

    private static MimeBodyPart attachment(byte[] bytes, String type, String filename) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes, type)));
        part.setFileName(filename);
        part.setDisposition(MimeBodyPart.ATTACHMENT);
        return part;
    }

    private static String oneLine(Exception e) {
        String s = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        s = s.replaceAll("\\s+", " ").trim();
        return s.length() > 300 ? s.substring(0, 300) : s;
    }
}
