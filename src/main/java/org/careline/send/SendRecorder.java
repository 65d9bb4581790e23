package org.careline.send;

import org.careline.model.EngineEvents;
import org.careline.model.LogSafe;
import org.careline.model.DueMessage;
import org.careline.model.OutboxStatus;
import org.careline.store.AuditLog;
import org.careline.store.Database;
import org.careline.store.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;

/** Records what became of a claimed message: sent, failed (by {@link SendFailures}), skipped, dead, or given back. */
final class SendRecorder {

    /** Logged under the dispatcher's name, as before this class was split from it: operators search for it. */
    private static final Logger LOG = LoggerFactory.getLogger("org.careline.send.Dispatcher");

    private final Database db;
    private final Outbox outbox;
    private final SendingPause pause;
    private final SendFailures failures;
    private final Clock clock;
    private final AuditLog audit = new AuditLog();

    SendRecorder(Database db, Outbox outbox, SendingPause pause, SendFailures failures, Clock clock) {
        this.db = db;
        this.outbox = outbox;
        this.pause = pause;
        this.failures = failures;
        this.clock = clock;
    }

    /** The Cloud API's answer to a send (or a document upload); the attempt counts. */
    void record(DueMessage m, CloudApiOutcome outcome) {
        Instant now = clock.instant();
        int attempts = m.attempts() + 1;
        // Shared with the other senders recording at the same moment: one commit for all their answers.
        db.inSharedTransaction(c -> {
            if (outcome instanceof CloudApiOutcome.Sent s) {
                outbox.markSent(c, m.id(), s.wamid(), attempts, now);
                pause.sendWentThrough(c, now);
                failures.events().send(EngineEvents.SendOutcome.SENT, null);
                LOG.info("outbox={} appointment={} kind={} sent wamid={}", m.id(), m.context().appointmentId(),
                        m.kind(), LogSafe.of(s.wamid()));
            } else {
                failures.apply(c, m.id(), attempts, outcome, now);
            }
            // A message out: the Cloud API's answer by its kind (and Meta's message id), never the text sent.
            if (outcome instanceof CloudApiOutcome.Sent s) {
                audit.engine(c, "cloud_api_send", "outbox:" + m.id(), "ok", "wamid=" + s.wamid(), now);
            } else {
                audit.engine(c, "cloud_api_send", "outbox:" + m.id(), "failed", outcome.getClass().getSimpleName(),
                        now);
            }
            return null;
        });
    }

    void skipped(DueMessage m, String reason) {
        db.inTransaction(c -> {
            outbox.markFinal(c, m.id(), OutboxStatus.SKIPPED, m.attempts(), null, reason, clock.instant());
            return null;
        });
        failures.events().send(EngineEvents.SendOutcome.SKIPPED, null);
        LOG.info("outbox={} skipped: {}", m.id(), reason);
    }

    /**
     * Data no send can fix: dead-letter it, don't loop.
     *
     * @param reason stored with the row
     * @param what   logged, without PHI
     */
    void deadLetter(DueMessage m, String reason, String what) {
        db.inTransaction(c -> {
            failures.deadLetter(c, m.id(), m.attempts(), null, reason, clock.instant());
            return null;
        });
        LOG.warn("outbox={} dead-lettered: {}", m.id(), what);
    }

    /** Sending is paused: the message goes back to the queue untouched and waits for the resume. */
    void release(long id) {
        db.inTransaction(c -> {
            outbox.release(c, id, clock.instant());
            return null;
        });
    }
}
