package org.careline.send;

import org.careline.model.LogSafe;
import org.careline.model.DeliveryStatus;
import org.careline.model.OutboxStatus;
import org.careline.store.MessageStatusLog;
import org.careline.store.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;

/**
 * Applies the delivery statuses Meta reports by webhook (sent, delivered, read, failed) to the outbox.
 *
 * <p>Each status of a wamid has its effect once: it is recorded in message_status first, whose unique key
 * (wamid, status) turns a second copy — in the same delivery, a later one, or processed at the same moment by another
 * engine — into a {@link org.careline.store.DuplicateMessageException}, and the caller rolls back.
 *
 * <p>The outbox row's delivery_status only moves forward: sent (1) &lt; delivered (2) &lt; read (3), so statuses that
 * arrive out of order (read before delivered) leave the furthest one. {@code failed} is terminal: it replaces any
 * status, and a delivered or read arriving after it leaves it failed (Meta should never send one; if it does, it
 * is still in message_status and message_event). Every new delivered, read and failed status also writes a
 * message_event row, so the history shows each status even when it did not move delivery_status.
 *
 * <p>A failed status stores errors[0].code and title on the row and then follows the same rules as a failed send
 * ({@link SendFailures}): retryable codes put the row back in the queue with backoff (dead letter once
 * the attempts are used up), permanent ones (and unknown codes) end it as a dead letter, 190/368/104 pause all
 * sending with the row back in the queue. Those rules apply only while the row is SENT with delivery_status
 * null or sent: a message that was delivered or read is never sent again, whatever comes after.
 *
 * <p>A status for a wamid no outbox row has (an older wamid of a re-sent row, another system's message on the same
 * number) is recorded in message_status and otherwise ignored.
 */
public final class DeliveryStatuses {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryStatuses.class);

    /**
     * One entry of a webhook's statuses[], reduced to what Careline uses (no recipient number).
     *
     * @param wamid      the message the status is about
     * @param status     sent, delivered, read, failed (or anything newer Meta sends: recorded, else ignored)
     * @param at         the status's timestamp, or null
     * @param errorCode  errors[0].code of a failed status, or null
     * @param errorTitle errors[0].title (else message) of a failed status, or null
     */
    public record Update(String wamid, String status, Instant at, Integer errorCode, String errorTitle) {
    }

    private final Outbox outbox;
    private final MessageStatusLog log;
    private final SendFailures failures;

    public DeliveryStatuses(Outbox outbox, MessageStatusLog log, SendFailures failures) {
        this.outbox = outbox;
        this.log = log;
        this.failures = failures;
    }

    /**
     * Records and applies one status in the caller's transaction.
     *
     * @throws org.careline.store.DuplicateMessageException if this wamid had this status already
     */
    public void apply(Connection c, Update u, long deliveryId, Instant now) throws SQLException {
        String status = u.status().toLowerCase(Locale.ROOT);
        String title = u.errorTitle() == null ? null : CloudApiResponses.reason(u.errorTitle());
        log.record(c, u.wamid(), status, u.at(), u.errorCode(), title, deliveryId, now);
        Instant at = u.at() != null ? u.at() : now;
        DeliveryStatus known = DeliveryStatus.fromDb(status);
        for (Outbox.Tracked row : outbox.lockByWamid(c, u.wamid())) {
            if (known == DeliveryStatus.FAILED) {
                failed(c, row, u, title, at, now);
            } else if (rank(known) > 0) {
                if (row.deliveryStatus() != DeliveryStatus.FAILED && rank(known) > rank(row.deliveryStatus())) {
                    outbox.setDeliveryStatus(c, row.id(), known, at, now);
                }
                if (known != DeliveryStatus.SENT) {
                    outbox.logEventOnce(c, row.id(), status, u.wamid(), now);
                }
                LOG.debug("outbox={} wamid={} {}", row.id(), LogSafe.of(u.wamid()), status);
            }
        }
    }

    private void failed(Connection c, Outbox.Tracked row, Update u, String title, Instant at, Instant now)
            throws SQLException {
        String reason = CloudApiResponses.reason((u.errorCode() == null ? "no error code" : u.errorCode().toString())
                + ": " + (title == null ? "failed status without details" : title));
        outbox.setDeliveryFailed(c, row.id(), at, u.errorCode(), reason, now);
        outbox.logEvent(c, row.id(), DeliveryStatus.FAILED.dbValue(), reason, now);
        boolean reachedPhone = rank(row.deliveryStatus()) >= DeliveryStatus.DELIVERED.rank();
        if (row.status() != OutboxStatus.SENT || reachedPhone) {
            LOG.warn("outbox={} wamid={} failed status ({}) after {}; recorded only", row.id(), LogSafe.of(u.wamid()),
                    u.errorCode(), reachedPhone ? row.deliveryStatus().dbValue() : row.status());
            return;
        }
        LOG.warn("outbox={} wamid={} failed status ({})", row.id(), LogSafe.of(u.wamid()), u.errorCode());
        failures.apply(c, row.id(), row.attempts(), CloudApiResponses.classifyFailedStatus(u.errorCode(), reason), now);
    }

    /** sent 1, delivered 2, read 3; anything else (null, failed, unknown) 0. */
    private static int rank(DeliveryStatus status) {
        return status == null ? 0 : status.rank();
    }
}
