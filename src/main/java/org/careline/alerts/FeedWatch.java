package org.careline.alerts;

import org.careline.model.AlertRaise;
import org.careline.model.AlertSeverity;
import org.careline.store.AlertLog;
import org.careline.store.Database;
import org.careline.store.InboundLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Raises {@code feed_silent} (WARNING) when an HL7 sender goes quiet for CARELINE_FEED_SILENT_AFTER, once, and
 * clears it when its messages flow again ({@link FeedSilence} decides). Called by the feed-watch route's timer.
 * Each sender's newest message is kept here and topped up from the messages received since the last look, so a
 * look reads only new rows (by ix_inbound_received), never the whole inbound log.
 */
public final class FeedWatch {

    public static final String KIND = "feed_silent";
    private static final Logger LOG = LoggerFactory.getLogger(FeedWatch.class);
    /** How far back the first look reaches: a sender silent for longer is taken as gone, not silent. */
    static final Duration LOOKBACK = Duration.ofDays(7);
    /** Read again on each look: a message committed a little after its received_at stamp is not missed. */
    private static final Duration OVERLAP = Duration.ofMinutes(5);

    private final Database db;
    private final InboundLog inbound;
    private final AlertLog alerts;
    private final Duration after;
    private final Clock clock;
    private final Instant startedAt;
    private final Map<String, Instant> lastSeen = new HashMap<>();
    private Instant lookedAt;

    public FeedWatch(Database db, InboundLog inbound, AlertLog alerts, Duration after, Clock clock) {
        this.db = db;
        this.inbound = inbound;
        this.alerts = alerts;
        this.after = after;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    public boolean enabled() {
        return !after.isZero();
    }

    /** One look; the quartz route is stateful, so looks never overlap. */
    public synchronized void check() {
        if (!enabled()) {
            return;
        }
        Instant now = clock.instant();
        Instant since = lookedAt == null ? now.minus(LOOKBACK) : lookedAt.minus(OVERLAP);
        db.inTransaction(c -> {
            inbound.lastReceivedBySender(c, since).forEach((sender, at) -> lastSeen.merge(sender, at,
                    (a, b) -> a.isAfter(b) ? a : b));
            Set<String> open = alerts.openSubjects(c, KIND);
            FeedSilence.Decision d = FeedSilence.decide(lastSeen, open, now, after, startedAt);
            for (String subject : d.raise()) {
                Instant last = subject.equals(FeedSilence.ALL) ? null
                        : lastSeen.get(subject.substring("feed:".length()));
                alerts.raiseUnlessOpen(c, new AlertRaise(KIND, AlertSeverity.WARNING, null, subject, null,
                        "no HL7 message for over " + after.toMinutes() + " min"
                                + (last == null ? " from any sender" : "; last at " + last)), now);
                LOG.warn("ALERT: feed silent: {} (nothing for over {} min)", subject, after.toMinutes());
            }
            for (String subject : d.clear()) {
                alerts.clear(c, KIND, subject, now);
                LOG.info("feed flows again: {}; its feed_silent alert is cleared", subject);
            }
            return null;
        });
        lookedAt = now;
    }
}
