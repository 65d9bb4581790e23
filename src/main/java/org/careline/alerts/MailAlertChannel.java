package org.careline.alerts;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.careline.config.SmtpSettings;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Tells of an alert by a plain-text e-mail through the SMTP server of CARELINE_SMTP_* (Jakarta Mail, Angus Mail
 * as brought by camel-mail; used directly so timeouts, STARTTLS and the reading of SMTP's answers are ours).
 * Subject "[Careline CRITICAL] emergency at gh-clinic (handoff:12)"; the body says the same with the detail, the
 * time and the console link. Ids only, never PHI.
 */
public final class MailAlertChannel implements AlertChannel {

    private static final int TIMEOUT_MS = 15_000;

    private final String name;
    private final int recipients;
    private final SmtpPost post;

    public MailAlertChannel(String name, List<String> to, SmtpSettings smtp) {
        this.name = name;
        this.recipients = to.size();
        this.post = new SmtpPost(to, smtp);
    }

    /** The Jakarta Mail session properties of CARELINE_SMTP_* (the monthly report mails through them too). */
    public static Properties properties(SmtpSettings smtp) {
        Properties p = new Properties();
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", smtp.host());
        p.put("mail.smtp.port", String.valueOf(smtp.port()));
        p.put("mail.smtp.connectiontimeout", String.valueOf(TIMEOUT_MS));
        p.put("mail.smtp.timeout", String.valueOf(TIMEOUT_MS));
        p.put("mail.smtp.writetimeout", String.valueOf(TIMEOUT_MS));
        // Required, not just tried: the login and the alert never cross the network in the clear by a downgrade.
        p.put("mail.smtp.starttls.enable", String.valueOf(smtp.startTls()));
        p.put("mail.smtp.starttls.required", String.valueOf(smtp.startTls()));
        p.put("mail.smtp.auth", String.valueOf(smtp.user() != null));
        p.put("mail.smtp.from", smtp.from());
        return p;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DeliveryOutcome send(AlertMessage m) {
        MimeMessage mail;
        try {
            mail = post.draft();
            mail.setSubject(m.title(), StandardCharsets.UTF_8.name());
            mail.setText(body(m), StandardCharsets.UTF_8.name());
            mail.setHeader(WebhookAlertChannel.ALERT_ID_HEADER, String.valueOf(m.id()));
        } catch (MessagingException e) {
            return SmtpPost.unsendable(e);
        }
        return post.send(mail);
    }

    static String body(AlertMessage m) {
        StringBuilder b = new StringBuilder();
        b.append(m.title()).append("\n\n");
        b.append("Alert:    ").append(m.id()).append('\n');
        b.append("Kind:     ").append(m.kind()).append('\n');
        b.append("Severity: ").append(m.severity()).append('\n');
        b.append("Site:     ").append(m.site() == null ? "(all)" : m.site()).append('\n');
        if (m.subject() != null) {
            b.append("Subject:  ").append(m.subject()).append('\n');
        }
        if (m.code() != null) {
            b.append("Code:     ").append(m.code()).append('\n');
        }
        if (m.detail() != null) {
            b.append("Detail:   ").append(m.detail()).append('\n');
        }
        b.append("Raised:   ").append(m.raisedAt()).append("\n\n");
        b.append("Open and acknowledge it in the Careline console: ").append(m.link()).append('\n');
        return b.toString();
    }

    /** How long a send may take at most: connect, then each read and write. */
    static Duration timeout() {
        return Duration.ofMillis(TIMEOUT_MS);
    }

    @Override
    public String toString() {
        return "email " + name + " (" + recipients + " recipients)";
    }
}
