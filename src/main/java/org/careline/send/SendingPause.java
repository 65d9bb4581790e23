package org.careline.send;

import org.careline.model.AlertRaise;
import org.careline.model.AlertSeverity;
import org.careline.store.AlertLog;
import org.careline.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether all sending is paused, and its alert. A pause comes from a Cloud API answer (to a send or in a failed
 * status) that only a person can fix — the token or the account — and lasts until restart; queued messages wait.
 */
public final class SendingPause {

    /** Logged under the dispatcher's name, as before this class was split from it: operators search for it. */
    private static final Logger LOG = LoggerFactory.getLogger("org.careline.send.Dispatcher");
    private static final String ALERT = "sending-paused";

    private final Database db;
    private final AlertLog alerts;
    private final Clock clock;
    private final AtomicReference<String> reason = new AtomicReference<>();
    /** When the pause began (for the sending_paused alert rule); null while sending is not paused. */
    private final AtomicReference<Instant> since = new AtomicReference<>();
    /** The Cloud API error code of the pause under way (null without one, or when not paused). */
    private volatile Integer code;
    /** When this engine started; a pause alert raised before it belongs to an earlier life. */
    private final Instant startedAt;
    /** Set by the first send that goes through: the check for an earlier life's pause alert is done once. */
    private final AtomicBoolean sentSinceStart = new AtomicBoolean();

    public SendingPause(Database db, AlertLog alerts, Clock clock) {
        this.db = db;
        this.alerts = alerts;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /**
     * Pauses sending for {@code code}, raising the alert in the caller's transaction. One alert per pause: the
     * other sends under way when it began get the same answer.
     */
    void begin(Connection c, Integer code, String detail, Instant now) throws SQLException {
        if (pause(code, detail)) {
            // CRITICAL: nothing goes out to any patient until a person fixes the token or the account.
            alerts.raise(c, new AlertRaise(ALERT, AlertSeverity.CRITICAL, null, "cloud-api", code, detail), now);
        }
    }

    /**
     * Stops all sending until restart: the token or the account needs a person (also used for failed statuses).
     * True when this call paused sending, false when it was paused already.
     */
    public boolean pause(Integer code, String detail) {
        if (reason.compareAndSet(null, code + ": " + detail)) {
            since.set(clock.instant());
            this.code = code;
            LOG.error("ALERT: all sending paused by Cloud API error {}; fix the WhatsApp account or token, then "
                    + "restart Careline (queued messages wait, none are dropped)", code);
            return true;
        }
        return false;
    }

    public boolean paused() {
        return reason.get() != null;
    }

    /** Since when sending has been paused, or null when it is not. */
    public Instant pausedSince() {
        return reason.get() == null ? null : since.get();
    }

    /** The Cloud API error code that paused sending, or null (not paused, or paused by an answer without one). */
    public Integer code() {
        return paused() ? code : null;
    }

    /** Why sending is paused, or null when it is not. */
    public String reason() {
        return reason.get();
    }

    /**
     * A send went through, in the caller's transaction. A pause ends with a restart (new token, account restored):
     * once a send goes through again, the alert an earlier life raised is over. Alerts of this life (raised after
     * start) stay.
     */
    void sendWentThrough(Connection c, Instant now) throws SQLException {
        if (sentSinceStart.compareAndSet(false, true) && alerts.clearRaisedBefore(c, ALERT, startedAt, now) > 0) {
            LOG.info("sends go through again: the sending-paused alert from before the restart is cleared");
        }
    }

    /** Resumes after a pause (the token was replaced, the account restored). */
    public void resume() {
        code = null;
        if (reason.getAndSet(null) != null) {
            since.set(null);
            db.inTransaction(c -> alerts.clear(c, ALERT, clock.instant()));
            LOG.info("sending resumed");
        }
    }
}
