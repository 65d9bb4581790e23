package org.careline.ingest.whatsapp;

import org.careline.model.LogSafe;
import org.careline.model.InboundMessage;
import org.careline.send.DeliveryStatuses;
import org.careline.store.Database;
import org.careline.store.DuplicateMessageException;
import org.careline.store.InboundReplies;
import org.careline.store.RetryPolicy;
import org.careline.store.WebhookDeliveries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
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
    static final RetryPolicy RETRIES = new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(10), MAX_ATTEMPTS,
            0.5);

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
                LOG.warn("webhook deliveries could not be read: {}", LogSafe.of(describe(e)));
                break;
            }
            // The whole batch in one transaction — one commit for up to BATCH deliveries, each item in a savepoint of
            // its own, so an item that fails is undone alone and its delivery retried while the rest stays applied.
            Counts counts = new Counts();
            try {
                db.inTransaction(c -> {
                    for (WebhookDeliveries.Pending delivery : batch) {
                        process(c, delivery, counts);
                    }
                    return null;
                });
            } catch (RuntimeException e) {
                // The outcome could not be written (database gone?): the deliveries are still pending and come back.
                LOG.warn("webhook deliveries {}..{} could not be processed: {}", batch.get(0).id(),
                        batch.get(batch.size() - 1).id(), LogSafe.of(describe(e)));
                return total.round();
            }
            total.add(counts);
            if (batch.size() < BATCH) {
                break;
            }
        }
        return total.round();
    }

    /** Processes one delivery inside the batch's transaction. */
    private void process(Connection c, WebhookDeliveries.Pending delivery, Counts total) throws SQLException {
        int attempts = delivery.attempts() + 1;
        String body = deliveries.body(c, delivery.id());
        WebhookPayload.Parsed parsed;
        try {
            parsed = WebhookPayload.parse(body);
        } catch (WebhookPayload.MalformedPayloadException e) {
            // Stored and answered 200 already (an error status would only make Meta send it again and again):
            // kept with the reason, never processed.
            deliveries.markProcessed(c, delivery.id(), attempts, e.getMessage(), clock.instant());
            LOG.warn("webhook delivery={} not processed: {}", delivery.id(), LogSafe.of(e.getMessage()));
            total.deliveries++;
            return;
        }
        List<String> failed = new ArrayList<>();
        for (WebhookPayload.Item item : parsed.items()) {
            Savepoint before = c.setSavepoint();
            try {
                apply(c, item, delivery.id());
                if (item instanceof WebhookPayload.Message) {
                    total.messages++;
                } else {
                    total.statuses++;
                }
            } catch (DuplicateMessageException duplicate) {
                c.rollback(before);
                total.duplicates++;
                LOG.debug("webhook delivery={} wamid={} seen before", delivery.id(), LogSafe.of(item.wamid()));
            } catch (SQLException | RuntimeException e) {
                c.rollback(before);
                total.failures++;
                failed.add(item.wamid() + " (" + describe(e) + ")");
                LOG.warn("webhook delivery={} wamid={} not applied: {}", delivery.id(), LogSafe.of(item.wamid()),
                        LogSafe.of(describe(e)));
            }
        }
        String problems = parsed.problems().isEmpty() ? null : "skipped " + String.join(", ", parsed.problems());
        Instant now = clock.instant();
        if (failed.isEmpty()) {
            deliveries.markProcessed(c, delivery.id(), attempts, problems, now);
            if (problems != null) {
                LOG.warn("webhook delivery={} processed; {}", delivery.id(), LogSafe.of(problems));
            }
        } else if (RETRIES.exhausted(attempts)) {
            String error = "gave up after " + attempts + " attempts: " + String.join(", ", failed)
                    + (problems == null ? "" : "; " + problems);
            deliveries.markProcessed(c, delivery.id(), attempts, error, now);
            LOG.error("webhook delivery={} gave up after {} attempts; set its processed_at to NULL to replay it",
                    delivery.id(), attempts);
        } else {
            Instant next = now.plus(RETRIES.delay(attempts, random));
            String error = "attempt " + attempts + " failed: " + String.join(", ", failed);
            deliveries.markRetry(c, delivery.id(), attempts, error, next, now);
        }
        total.deliveries++;
    }

    /**
     * Applies one item in the caller's transaction (inside its savepoint).
     *
     * @throws DuplicateMessageException when it had been applied before
     */
    private void apply(Connection c, WebhookPayload.Item item, long deliveryId) throws SQLException {
        Instant now = clock.instant();
        if (item instanceof WebhookPayload.Message m) {
            InboundMessage message = m.message();
            long replyId = replies.record(c, message, deliveryId, now);
            replies.touchLastInbound(c, message.fromE164(), windowStart(message, now), now);
            InboundMessageSink target = sink.get();
            if (target == null) {
                throw new IllegalStateException("no bean named inboundMessageSink");
            }
            target.accept(c, message, replyId, now);
            LOG.info("webhook delivery={} inbound wamid={} type={} stored", deliveryId, LogSafe.of(message.wamid()),
                    LogSafe.of(message.type()));
        } else if (item instanceof WebhookPayload.Status s) {
            statuses.apply(c, s.update(), deliveryId, now);
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

        void add(Counts other) {
            deliveries += other.deliveries;
            messages += other.messages;
            statuses += other.statuses;
            duplicates += other.duplicates;
            failures += other.failures;
        }
    }
}
