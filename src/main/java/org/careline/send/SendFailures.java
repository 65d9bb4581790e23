package org.careline.send;

import org.careline.model.AlertRaise;
import org.careline.model.AlertSeverity;
import org.careline.model.EngineEvents;
import org.careline.model.OutboxStatus;
import org.careline.store.AlertLog;
import org.careline.store.Outbox;
import org.careline.store.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Random;

/**
 * What a failed send means for its outbox row. Used for the Cloud API's answer to a send (or a document upload) and
 * for failed status webhooks ({@link DeliveryStatuses}), so both follow the same rules.
 */
public final class SendFailures {

    /** Logged under the dispatcher's name, as before this class was split from it: operators search for it. */
    private static final Logger LOG = LoggerFactory.getLogger("org.careline.send.Dispatcher");

    private final Outbox outbox;
    /** When a retryable failure is tried again, and after how many attempts it is dead-lettered instead. */
    private final RetryPolicy retries;
    private final SendingPause pause;
    private final AlertLog alerts;
    private final Random random = new Random();
    private final EngineEvents events;

    public SendFailures(Outbox outbox, RetryPolicy retries, SendingPause pause, AlertLog alerts) {
        this(outbox, retries, pause, alerts, EngineEvents.NONE);
    }

    /**
     * @param events told of every send's outcome (here and by the dispatcher's recorder, which takes them from
     *               {@link #events()}), for operators' metrics; a failed status webhook counts as its send's failure
     */
    public SendFailures(Outbox outbox, RetryPolicy retries, SendingPause pause, AlertLog alerts, EngineEvents events) {
        this.events = events;
        this.outbox = outbox;
        this.retries = retries;
        this.pause = pause;
        this.alerts = alerts;
    }

    EngineEvents events() {
        return events;
    }

    /** Alerts of this kind say a message will not go out: someone must look at it (retry or discard). */
    public static final String DEAD_LETTER = "dead_letter";

    /**
     * Ends the message as a dead letter and raises a {@code dead_letter} warning about it (subject outbox:id, the
     * appointment's site), both in the caller's transaction. The detail holds ids and the error code only: the
     * reason text stays on the outbox row, as an answer may echo what was sent.
     */
    void deadLetter(Connection c, long outboxId, int attempts, Integer code, String reason, Instant now)
            throws SQLException {
        outbox.markFinal(c, outboxId, OutboxStatus.DEAD, attempts, code, reason, now);
        events.send(EngineEvents.SendOutcome.DEAD, code);
        Outbox.Origin origin = outbox.origin(c, outboxId);
        alerts.raiseUnlessOpen(c, new AlertRaise(DEAD_LETTER, AlertSeverity.WARNING, origin.siteCode(),
                "outbox:" + outboxId, code, "outbox=" + outboxId
                + (origin.appointmentId() == null ? "" : " appointment=" + origin.appointmentId())
                + " attempts=" + attempts + (code == null ? "" : " error=" + code)), now);
    }

    /**
     * Applies a failure in the caller's transaction: retryable → back to PENDING after a backoff, or DEAD once
     * {@code attempts} reaches the maximum; permanent → DEAD with code and reason (a DEAD raises a dead_letter alert); pause → all sending paused, an
     * alert raised, the row back in the queue untouched.
     *
     * @param attempts the attempts made, counting the one that failed
     */
    public void apply(Connection c, long outboxId, int attempts, CloudApiOutcome outcome, Instant now)
            throws SQLException {
        if (outcome instanceof CloudApiOutcome.Retryable r) {
            if (retries.exhausted(attempts)) {
                deadLetter(c, outboxId, attempts, r.errorCode(),
                        "retries exhausted after " + attempts + " attempts: " + r.reason(), now);
                LOG.warn("outbox={} dead after {} attempts ({})", outboxId, attempts, r.errorCode());
            } else {
                // The answer may say when to come back: sooner would only be refused again (and count against us).
                Instant retryAt = now.plus(retries.delay(attempts, r.retryAfter(), random));
                outbox.markRetry(c, outboxId, attempts, r.errorCode(), r.reason(), retryAt, now);
                events.send(EngineEvents.SendOutcome.RETRY, r.errorCode());
                LOG.info("outbox={} retry {} at {} ({})", outboxId, attempts, retryAt, r.errorCode());
            }
        } else if (outcome instanceof CloudApiOutcome.Permanent p) {
            deadLetter(c, outboxId, attempts, p.errorCode(), p.reason(), now);
            LOG.warn("outbox={} dead-lettered ({})", outboxId, p.errorCode());
        } else if (outcome instanceof CloudApiOutcome.PauseSending p) {
            pause.begin(c, p.errorCode(), p.reason(), now);
            events.send(EngineEvents.SendOutcome.PAUSED, p.errorCode());
            outbox.release(c, outboxId, now);
        } else {
            throw new IllegalArgumentException("not a failure: " + outcome.getClass().getSimpleName());
        }
    }
}
