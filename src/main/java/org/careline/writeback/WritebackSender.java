package org.careline.writeback;

import org.careline.send.Backoff;
import org.careline.store.AlertLog;
import org.careline.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Sends patients' requests (confirm, change, cancel) to the scheduling system. Called by the writeback route's
 * quartz timer: takes due requests oldest first (per appointment strictly in order), builds each message, sends it
 * over MLLP and records the answer. AA/CA → DONE; AE/AR/CE/CR → REJECTED with an alert, never resent; no answer →
 * PENDING again with exponential backoff, until one comes. Logs carry ids only.
 */
public final class WritebackSender {

    private static final Logger LOG = LoggerFactory.getLogger(WritebackSender.class);
    public static final Duration BACKOFF_BASE = Duration.ofSeconds(5);
    public static final Duration BACKOFF_MAX = Duration.ofMinutes(5);
    /** Longer than any one send can take (connect + ACK timeouts); a claim older than this was an engine's crash. */
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final int BATCH = 20;
    private static final int MAX_PER_ROUND = 200;
    public static final String ALERT_REJECTED = "writeback-rejected";
    public static final String ALERT_FAILED = "writeback-failed";

    private final Database db;
    private final WritebackStore store;
    private final AlertLog alerts;
    private final SrmBuilder builder;
    private final SchedulingLink link;
    private final Clock clock;
    private final boolean enabled;
    private final RandomGenerator random;
    private final String owner = "careline-" + UUID.randomUUID();

    public WritebackSender(Database db, WritebackStore store, AlertLog alerts, SrmBuilder builder, SchedulingLink link,
                           Clock clock, boolean enabled) {
        this(db, store, alerts, builder, link, clock, enabled, new Random());
    }

    WritebackSender(Database db, WritebackStore store, AlertLog alerts, SrmBuilder builder, SchedulingLink link,
                    Clock clock, boolean enabled, RandomGenerator random) {
        this.db = db;
        this.store = store;
        this.alerts = alerts;
        this.builder = builder;
        this.link = link;
        this.clock = clock;
        this.enabled = enabled;
        this.random = random;
        if (!enabled) {
            LOG.warn("write-back disabled: CARELINE_SCHEDULING_MLLP is not set, so patients' confirm/change/cancel "
                    + "requests stay queued (PENDING) until it is set and Careline restarted");
        }
    }

    /**
     * One round; returns how many requests were sent. A request that gets no answer ends the round: the scheduling
     * system is most likely down, and the next round tries again.
     */
    public int sendDue() {
        if (!enabled) {
            return 0;
        }
        int sent = 0;
        while (sent < MAX_PER_ROUND) {
            // Asked again after each batch: an answer may have freed an appointment's next request.
            List<Long> due = db.inTransaction(c -> store.due(c, clock.instant(), BATCH));
            boolean claimedAny = false;
            for (long id : due) {
                if (!claim(id)) {
                    continue; // another engine has it
                }
                claimedAny = true;
                sent++;
                if (!sendOne(id) || sent >= MAX_PER_ROUND) {
                    return sent;
                }
            }
            if (!claimedAny) {
                break;
            }
        }
        return sent;
    }

    private boolean claim(long id) {
        Instant now = clock.instant();
        try {
            return db.inTransaction(c -> store.claim(c, id, owner, newControlId(), now, LEASE));
        } catch (RuntimeException e) {
            return false; // another engine holds the row (lock timeout / serialization failure): it is theirs
        }
    }

    /** Sends one claimed request and records the outcome; false if it got no answer. */
    private boolean sendOne(long id) {
        WritebackStore.Due due = db.inTransaction(c -> store.load(c, id));
        int attempts = due.attempts() + 1;
        String message;
        try {
            message = builder.build(due.action(), due.subject(), due.controlId(), clock.instant());
        } catch (RuntimeException e) {
            // The mapping does not fit this feed's version: no retry can fix that, a person must.
            db.inTransaction(c -> {
                store.failed(c, id, due.attempts(), e.getMessage(), clock.instant());
                alerts.raise(c, ALERT_FAILED, null, "writeback=" + id + " appointment=" + due.appointmentId()
                        + " action=" + due.action() + " could not be built", clock.instant());
                return null;
            });
            LOG.error("ALERT: writeback={} appointment={} action={} could not be built from mappings/writeback.yaml: {}",
                    id, due.appointmentId(), due.action(), e.getMessage());
            return true;
        }
        AckOutcome outcome;
        try {
            outcome = link.send(message.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            outcome = new AckOutcome.NotAnswered(e.getClass().getSimpleName());
        }
        Instant now = clock.instant();
        if (outcome instanceof AckOutcome.Accepted a) {
            db.inTransaction(c -> {
                store.answered(c, id, WritebackStore.DONE, attempts, a.code(), a.text(), now);
                return null;
            });
            LOG.info("writeback={} appointment={} action={} control={} accepted ({})", id, due.appointmentId(),
                    due.action(), due.controlId(), a.code());
            return true;
        }
        if (outcome instanceof AckOutcome.Rejected r) {
            db.inTransaction(c -> {
                store.answered(c, id, WritebackStore.REJECTED, attempts, r.code(), r.text(), now);
                alerts.raise(c, ALERT_REJECTED, null, "writeback=" + id + " appointment=" + due.appointmentId()
                        + " action=" + due.action() + " ack=" + r.code(), now);
                return null;
            });
            LOG.warn("writeback={} appointment={} action={} control={} rejected by the scheduling system ({}); "
                    + "not resent, alert raised", id, due.appointmentId(), due.action(), due.controlId(), r.code());
            return true;
        }
        AckOutcome.NotAnswered n = (AckOutcome.NotAnswered) outcome;
        Instant retryAt = now.plus(Backoff.delay(attempts, BACKOFF_BASE, BACKOFF_MAX, 0.5, random));
        db.inTransaction(c -> {
            store.retry(c, id, attempts, retryAt, n.reason(), now);
            return null;
        });
        LOG.warn("writeback={} appointment={} action={} not answered ({}), attempt {}; retry at {}", id,
                due.appointmentId(), due.action(), n.reason(), attempts, retryAt);
        return false;
    }

    /** MSH-10: 20 characters (the most HL7 v2.3 allows), unique without coordination between engines. */
    static String newControlId() {
        return ("CLW" + UUID.randomUUID().toString().replace("-", "")).substring(0, 20).toUpperCase(java.util.Locale.ROOT);
    }
}
