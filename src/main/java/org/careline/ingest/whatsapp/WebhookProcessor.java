package org.careline.ingest.whatsapp;

import org.careline.send.Backoff;
import org.careline.send.DeliveryStatuses;
import org.careline.store.Database;
import org.careline.store.DuplicateMessageException;
import org.careline.store.InboundReplies;
import org.careline.store.WebhookDeliveries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Processes stored webhook deliveries, oldest first; called by the webhook-processor route's quartz timer.
 *
 * <p>Each message and each status is applied in a transaction of its own, keyed by its wamid (messages) or wamid
 * and status (statuses): the unique keys of inbound_reply and message_status make a second copy — in the same
 * delivery, in a delivery posted again, or processed at the same moment by another engine on the same database —
 * roll back without effect. A message's transaction stores it, moves the sender's last_inbound_at (the 24-hour
 * window) and calls the {@link InboundMessageSink}.
 *
 * <p>A delivery is marked processed once every item in it is applied or found a duplicate. If an item fails (the
 * sink threw, a lock timed out) the delivery is tried again later with backoff — its items already applied are
 * then duplicates — and after {@value #MAX_ATTEMPTS} attempts it is marked processed with the error. To replay it,
 * set its processed_at to NULL. Logs carry delivery ids and wamids only.
 */
public final class WebhookProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookProcessor.class);
    static final int MAX_ATTEMPTS = 10;
    private static final int BATCH = 100;
    private static final Duration RETRY_BASE = Duration.ofSeconds(1);
    private static final Duration RETRY_MAX = Duration.ofMinutes(10);

    /** What one round did, for tests and the log. */
    public record Round(int deliveries, int messages, int statuses, int duplicates, int failures) {
    }

    private final Database db;
    private final WebhookDeliveries deliveries;
    private final InboundReplies replies;
    private final DeliveryStatuses statuses;
    private final Supplier<InboundMessageSink> sink;
    private final Clock clock;
    private final Random random = new Random();

    /** @param sink looked up for every message, so the bean bound as "inboundMessageSink" can be replaced */
    public WebhookProcessor(Database db, WebhookDeliveries deliveries, InboundReplies replies,
                            DeliveryStatuses statuses, Supplier<InboundMessageSink> sink, Clock clock) {
        this.db = db;
        this.deliveries = deliveries;
        this.replies = replies;
        this.statuses = statuses;
        this.sink = sink;
        this.clock = clock;
    }

    /** Processes every delivery due now. */
    public Round processPending() {
        Counts total = new Counts();
        while (true) {
            List<WebhookDeliveries.Pending> batch;
            try {
                batch = db.inTransaction(c -> deliveries.pending(c, clock.instant(), BATCH));
            } catch (RuntimeException e) {
                LOG.warn("webhook deliveries could not be read: {}", describe(e));
                break;
            }
            for (WebhookDeliveries.Pending delivery : batch) {
                try {
                    process(delivery, total);
                } catch (RuntimeException e) {
                    // Its outcome could not be written (database gone?): it is still pending and comes back.
                    LOG.warn("webhook delivery={} could not be processed: {}", delivery.id(), describe(e));
                    return total.round();
                }
            }
            if (batch.size() < BATCH) {
                break;
            }
        }
        return total.round();
    }

    private void process(WebhookDeliveries.Pending delivery, Counts total) {
        int attempts = delivery.attempts() + 1;
        String body = db.inTransaction(c -> deliveries.body(c, delivery.id()));
        WebhookPayload.Parsed parsed;
        try {
            parsed = WebhookPayload.parse(body);
        } catch (WebhookPayload.MalformedPayloadException e) {
            // Stored and answered 200 already (an error status would only make Meta send it again and again):
            // kept with the reason, never processed.
            db.inTransaction(c -> {
                deliveries.markProcessed(c, delivery.id(), attempts, e.getMessage(), clock.instant());
                return null;
            });
            LOG.warn("webhook delivery={} not processed: {}", delivery.id(), e.getMessage());
            total.deliveries++;
            return;
        }
        List<String> failed = new ArrayList<>();
        for (WebhookPayload.Item item : parsed.items()) {
            try {
                boolean applied = apply(item, delivery.id());
                if (!applied) {
                    total.duplicates++;
                } else if (item instanceof WebhookPayload.Message) {
                    total.messages++;
                } else {
                    total.statuses++;
                }
            } catch (RuntimeException e) {
                total.failures++;
                failed.add(item.wamid() + " (" + describe(e) + ")");
                LOG.warn("webhook delivery={} wamid={} not applied: {}", delivery.id(), item.wamid(), describe(e));
            }
        }
        String problems = parsed.problems().isEmpty() ? null : "skipped " + String.join(", ", parsed.problems());
        Instant now = clock.instant();
        if (failed.isEmpty()) {
            db.inTransaction(c -> {
                deliveries.markProcessed(c, delivery.id(), attempts, problems, now);
                return null;
            });
            if (problems != null) {
                LOG.warn("webhook delivery={} processed; {}", delivery.id(), problems);
            }
        } else if (attempts >= MAX_ATTEMPTS) {
            String error = "gave up after " + attempts + " attempts: " + String.join(", ", failed)
                    + (problems == null ? "" : "; " + problems);
            db.inTransaction(c -> {
                deliveries.markProcessed(c, delivery.id(), attempts, error, now);
                return null;
            });
            LOG.error("webhook delivery={} gave up after {} attempts; set its processed_at to NULL to replay it",
                    delivery.id(), attempts);
        } else {
            Instant next = now.plus(Backoff.delay(attempts, RETRY_BASE, RETRY_MAX, 0.5, random));
            String error = "attempt " + attempts + " failed: " + String.join(", ", failed);
            db.inTransaction(c -> {
                deliveries.markRetry(c, delivery.id(), attempts, error, next);
                return null;
            });
        }
        total.deliveries++;
    }

    /** Applies one item in its own transaction; false when it had been applied before. */
    private boolean apply(WebhookPayload.Item item, long deliveryId) {
        Instant now = clock.instant();
        try {
            if (item instanceof WebhookPayload.Message m) {
                InboundMessage message = m.message();
                db.inTransaction(c -> {
                    long replyId = replies.record(c, message, deliveryId, now);
                    replies.touchLastInbound(c, message.fromE164(), windowStart(message, now), now);
                    InboundMessageSink target = sink.get();
                    if (target == null) {
                        throw new IllegalStateException("no bean named inboundMessageSink");
                    }
                    target.accept(c, message, replyId, now);
                    return null;
                });
                LOG.info("webhook delivery={} inbound wamid={} type={} stored", deliveryId, message.wamid(),
                        message.type());
            } else if (item instanceof WebhookPayload.Status s) {
                db.inTransaction(c -> {
                    statuses.apply(c, s.update(), deliveryId, now);
                    return null;
                });
            }
            return true;
        } catch (DuplicateMessageException duplicate) {
            LOG.debug("webhook delivery={} wamid={} seen before", deliveryId, item.wamid());
            return false;
        }
    }

    /** When the patient wrote, which starts WhatsApp's 24-hour window; never later than now. */
    private static Instant windowStart(InboundMessage m, Instant now) {
        return m.sentAt() == null || m.sentAt().isAfter(now) ? now : m.sentAt();
    }

    /** The kind of failure only: exception texts may quote SQL values (PHI). */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql.getClass().getSimpleName() + " SQLState " + sql.getSQLState();
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + " caused by " + root.getClass().getSimpleName();
    }

    private static final class Counts {
        int deliveries;
        int messages;
        int statuses;
        int duplicates;
        int failures;

        Round round() {
            return new Round(deliveries, messages, statuses, duplicates, failures);
        }
    }
}
