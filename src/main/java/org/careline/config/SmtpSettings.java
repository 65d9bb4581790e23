package org.careline.config;

/**
 * How alert e-mails leave: the SMTP server, its login and the sender address, from CARELINE_SMTP_* (the password
 * only ever from the environment). E-mail channels are off while {@code host} is null.
 *
 * @param startTls true: the connection must be upgraded with STARTTLS before login and sending
 */
public record SmtpSettings(String host, int port, String user, String password, String from, boolean startTls) {

    public boolean enabled() {
        return host != null && !host.isBlank();
    }

    @Override
    public String toString() {
        return enabled() ? host + ":" + port + " (user=" + (user == null ? "none" : "set") + ", starttls=" + startTls
                + ")" : "disabled";
    }
}
