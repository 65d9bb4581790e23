package org.careline.alerts;

import java.time.Instant;
import java.util.List;

/**
 * An alert as the console and GET /api/v1/alerts show it (Jackson writes it as it is): ids and references only.
 *
 * @param severity   critical, warning or info
 * @param site       the site's code, or null for the engine as a whole
 * @param clearedAt  when the condition ended by itself (the feed flows again, sends go through), or null
 * @param ackedBy    who acknowledged it, or null: an alert stays in the open list until someone does
 * @param deliveries one per notification channel it was routed to
 */
public record AlertView(long id, String kind, String severity, String site, String subject, Integer code,
                        String detail, Instant raisedAt, Instant clearedAt, String ackedBy, Instant ackedAt,
                        List<Delivery> deliveries) {

    /**
     * @param status PENDING (waiting, maybe for a retry), SENDING, SENT or DEAD (given up; lastError says why)
     */
    public record Delivery(String channel, String status, int attempts, String lastError, Instant sentAt) {
    }
}
