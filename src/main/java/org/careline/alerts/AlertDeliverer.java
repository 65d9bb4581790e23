package org.careline.alerts;

import org.careline.store.AlertDeliveries;
import org.careline.store.Database;
import org.careline.store.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Sends queued alert deliveries (alert_delivery), called by the alert-deliverer route's quartz timer: claims the
 * due ones under a lease (so rounds running at once, on one engine or several, never send one twice), tells each
 * channel, and records SENT, a retry with backoff while the channel is down, or DEAD with the reason (the channel
 * refused it, or stayed down past the give-up time). Once a channel fails in a round, its other deliveries wait for
 * the next retry untried: a channel that times out costs one timeout per round, not one per alert. Logs ids only.
 */
public final class AlertDeliverer {

    private static final Logger LOG = LoggerFactory.getLogger(AlertDeliverer.class);
    private static final int BATCH = 50;

    private final Database db;
    private final AlertDeliveries deliveries;
    private final Map<String, AlertChannel> channels;
    private final Map<String, String> offReasons;
    private final RetryPolicy retries;
    private final Duration giveUpAfter;
    private final String linkBase;
    private final Clock clock;
    private final RandomGenerator random;
    private final String owner = "careline-" + UUID.randomUUID();

    /**
     * @param channels    the channels that can send, by name
     * @param offReasons  channels that are configured but cannot send (e-mail without CARELINE_SMTP_HOST) → why;
     *                    their deliveries (left from an earlier configuration) go DEAD with that reason
     * @param giveUpAfter how long after the alert was raised a delivery is still retried
     * @param linkBase    Careline's address as staff reach it, or null (links are paths)
     */
    public AlertDeliverer(Database db, AlertDeliveries deliveries, Map<String, AlertChannel> channels,
                          Map<String, String> offReasons, RetryPolicy retries, Duration giveUpAfter, String linkBase,
                          Clock clock) {
        this(db, deliveries, channels, offReasons, retries, giveUpAfter, linkBase, clock, new Random());
    }

    AlertDeliverer(Database db, AlertDeliveries deliveries, Map<String, AlertChannel> channels,
                   Map<String, String> offReasons, RetryPolicy retries, Duration giveUpAfter, String linkBase,
                   Clock clock, RandomGenerator random) {
        this.db = db;
        this.deliveries = deliveries;
        this.channels = Map.copyOf(channels);
        this.offReasons = Map.copyOf(offReasons);
        this.retries = retries;
        this.giveUpAfter = giveUpAfter;
        this.linkBase = linkBase == null ? "" : linkBase;
        this.clock = clock;
        this.random = random;
    }

    /**
     * How long a claimed delivery is left to this engine: longer than any one send (the webhook's 5 s connect and
     * 10 s answer, the mail's 15 s per step), so a slow send is never taken over and sent twice.
     */
    static final Duration LEASE = Duration.ofMinutes(2);

    /** One round; returns how many deliveries were sent. */
    public int deliverDue() throws SQLException {
        List<Long> claimed = deliveries.claimDue(db.dataSource(), owner, clock.instant(), LEASE, BATCH);
        Map<String, Instant> downUntil = new HashMap<>();
        int sent = 0;
        for (long id : claimed) {
            AlertDeliveries.Due due = db.inTransaction(c -> deliveries.load(c, id));
            Instant down = downUntil.get(due.channel());
            if (down != null) {
                Instant now = clock.instant();
                db.inTransaction(c -> {
                    deliveries.putBack(c, id, down, "not tried: channel failed earlier in the round", now);
                    return null;
                });
                continue;
            }
            Instant retryAt = deliver(due);
            if (retryAt == null) {
                sent++;
            } else if (!retryAt.equals(Instant.MAX)) {
                downUntil.put(due.channel(), retryAt);
            }
        }
        return sent;
    }

    /** Sends one claimed delivery and records it; returns null when sent, MAX when finished otherwise, else the
     *  time it is retried. */
    private Instant deliver(AlertDeliveries.Due due) {
        int attempts = due.attempts() + 1;
        AlertChannel channel = channels.get(due.channel());
        if (channel == null) {
            String why = offReasons.getOrDefault(due.channel(),
                    "channel '" + due.channel() + "' is no longer in mappings/notifications.yaml");
            dead(due, attempts, why);
            return Instant.MAX;
        }
        DeliveryOutcome outcome;
        try {
            outcome = channel.send(message(due));
        } catch (RuntimeException e) {
            outcome = new DeliveryOutcome.Retry(e.getClass().getSimpleName(), null);
        }
        Instant now = clock.instant();
        if (outcome instanceof DeliveryOutcome.Delivered) {
            db.inTransaction(c -> {
                deliveries.sent(c, due.id(), attempts, now);
                return null;
            });
            LOG.info("alert={} delivery={} channel={} sent", due.alertId(), due.id(), due.channel());
            return null;
        }
        if (outcome instanceof DeliveryOutcome.Refused r) {
            dead(due, attempts, r.reason());
            return Instant.MAX;
        }
        DeliveryOutcome.Retry r = (DeliveryOutcome.Retry) outcome;
        Instant giveUpAt = due.raisedAt().plus(giveUpAfter);
        Instant retryAt = now.plus(retries.delay(attempts, r.retryAfter(), random));
        if (!retryAt.isBefore(giveUpAt)) {
            dead(due, attempts, "gave up after " + attempts + " attempts: " + r.reason());
            return Instant.MAX;
        }
        db.inTransaction(c -> {
            deliveries.retry(c, due.id(), attempts, retryAt, r.reason(), now);
            return null;
        });
        LOG.warn("alert={} delivery={} channel={} not delivered ({}), attempt {}; retry at {}", due.alertId(),
                due.id(), due.channel(), r.reason(), attempts, retryAt);
        return retryAt;
    }

    private void dead(AlertDeliveries.Due due, int attempts, String reason) {
        Instant now = clock.instant();
        db.inTransaction(c -> {
            deliveries.dead(c, due.id(), attempts, reason, now);
            return null;
        });
        LOG.error("alert={} delivery={} channel={} given up: {}", due.alertId(), due.id(), due.channel(), reason);
    }

    AlertMessage message(AlertDeliveries.Due d) {
        return new AlertMessage(d.alertId(), d.kind(), d.severity() == null ? "warning" : d.severity().dbValue(),
                d.site(), d.subject(), d.code(), d.detail(), d.raisedAt(), link(linkBase, d.alertId()));
    }

    /** The alert in the console. */
    static String link(String base, long alertId) {
        return (base == null ? "" : base) + "/console/#/alerts/" + alertId;
    }
}
