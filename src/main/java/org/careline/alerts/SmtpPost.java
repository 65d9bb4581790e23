package org.careline.alerts;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.careline.config.SmtpSettings;

import java.util.Date;
import java.util.List;

/**
 * What every e-mail Careline sends shares (alerts, monthly reports): the session of CARELINE_SMTP_*
 * ({@link MailAlertChannel#properties}), a message from CARELINE_SMTP_FROM to a channel's addresses, and one attempt
 * at sending it, with SMTP's answer read into a {@link DeliveryOutcome}.
 */
public final class SmtpPost {

    private final List<String> to;
    private final SmtpSettings smtp;
    private final Session session;

    public SmtpPost(List<String> to, SmtpSettings smtp) {
        this.to = List.copyOf(to);
        this.smtp = smtp;
        this.session = Session.getInstance(MailAlertChannel.properties(smtp));
    }

    /** A new message from the sender to every address of the channel; the caller adds subject and content. */
    public MimeMessage draft() throws MessagingException {
        MimeMessage mail = new MimeMessage(session);
        mail.setFrom(new InternetAddress(smtp.from()));
        for (String address : to) {
            mail.addRecipient(Message.RecipientType.TO, new InternetAddress(address));
        }
        return mail;
    }

    /** Sends it once; never throws for a server that is down or refuses, it says so in the outcome. */
    public DeliveryOutcome send(MimeMessage mail) {
        try {
            mail.setSentDate(new Date());
            if (smtp.user() != null) {
                Transport.send(mail, smtp.user(), smtp.password() == null ? "" : smtp.password());
            } else {
                Transport.send(mail);
            }
            return new DeliveryOutcome.Delivered();
        } catch (SendFailedException e) {
            // Addresses the server refused: no retry changes its mind. Anything else in it (a 4xx) is transient.
            if (e.getInvalidAddresses() != null && e.getInvalidAddresses().length > 0
                    && (e.getValidSentAddresses() == null || e.getValidSentAddresses().length == 0)
                    && (e.getValidUnsentAddresses() == null || e.getValidUnsentAddresses().length == 0)) {
                return new DeliveryOutcome.Refused("SMTP refused every recipient: " + oneLine(e));
            }
            return new DeliveryOutcome.Retry("SMTP: " + oneLine(e), null);
        } catch (AuthenticationFailedException e) {
            // A person must fix CARELINE_SMTP_USER/PASSWORD; until they do (or the delivery gives up), keep trying.
            return new DeliveryOutcome.Retry("SMTP login refused (check CARELINE_SMTP_USER / CARELINE_SMTP_PASSWORD)",
                    null);
        } catch (MessagingException e) {
            return new DeliveryOutcome.Retry("SMTP: " + oneLine(e), null);
        }
    }

    /** A message that could not even be put together (a bad address): the same reading as a failed send. */
    public static DeliveryOutcome unsendable(MessagingException e) {
        return new DeliveryOutcome.Retry("SMTP: " + oneLine(e), null);
    }

    private static String oneLine(Exception e) {
        String s = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        s = s.replaceAll("\\s+", " ").trim();
        return s.length() > 300 ? s.substring(0, 300) : s;
    }
}
