package org.careline.alerts;

import java.time.Instant;

/**
 * What a channel tells of an alert: ids and references only, never PHI (no names, phone numbers or message
 * bodies). It is also the webhook's JSON body, field for field.
 *
 * @param severity critical, warning or info
 * @param site     the site's code, or null for the engine as a whole
 * @param subject  what it is about as a reference (handoff:12, outbox:34, feed:EPIC|HOSP), or null
 * @param link     the alert in the console: {@code <CARELINE_ALERT_LINK_BASE>/console/#/alerts/<id>}
 */
public record AlertMessage(long id, String kind, String severity, String site, String subject, Integer code,
                           String detail, Instant raisedAt, String link) {

    /** "[Careline CRITICAL] emergency at gh-clinic (handoff:12)": an e-mail's subject line, a chat's title. */
    public String title() {
        return "[Careline " + severity.toUpperCase(java.util.Locale.ROOT) + "] " + kind
                + (site == null ? "" : " at " + site) + (subject == null ? "" : " (" + subject + ")");
    }
}
