package org.careline.operations;

import org.careline.model.DeadLetterQueue;
import org.careline.store.Database;
import org.careline.store.DeadLetterStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Dead letters across the queues that have them — outbox (DEAD), write-backs (REJECTED, FAILED), webhook deliveries
 * processed with an error, alert deliveries (DEAD) — as one list, and an analyst's retry or discard of one. A retry
 * puts the item back in its own queue (waiting, due now, attempts from 0), where the queue's own worker takes it as
 * any other; a discard gives it up for good (the row and its reason are kept). Both are recorded with who and when
 * (dead_letter_action).
 */
public final class DeadLetters {

    /** Most dead letters one call returns. */
    public static final int MAX_LIMIT = 500;

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    /**
     * One dead letter.
     *
     * @param id        "queue-rowId", e.g. "outbox-12": what {@link #retry} and {@link #discard} take
     * @param queue     outbox, writeback, webhook or alert
     * @param site      the site it belongs to, or null
     * @param kind      what it was (message label, write-back action, "webhook", alert channel and kind)
     * @param status    its status in its queue
     * @param reason    why it died: an error code and text, never message content
     * @param retryable false when a retry cannot help ({@code notRetryable} says why)
     */
    public record DeadLetter(String id, String queue, long rowId, String site, String kind, String status,
                             String reason, int attempts, Instant at, boolean retryable, String notRetryable) {
    }

    /** What a retry came to. */
    public sealed interface RetryOutcome permits Requeued, NotFound, NotRetryable {
    }

    /** What a discard came to. */
    public sealed interface DiscardOutcome permits Discarded, NotFound, NotDiscardable {
    }

    /** Back in its queue, due now. */
    public record Requeued(String id) implements RetryOutcome {
    }

    /** Given up for good. */
    public record Discarded(String id) implements DiscardOutcome {
    }

    /** No such item (or the id names no queue). */
    public record NotFound() implements RetryOutcome, DiscardOutcome {
    }

    /** It exists but a retry cannot help, or it is not a dead letter (any more). */
    public record NotRetryable(String reason) implements RetryOutcome {
    }

    /** It exists but is not a dead letter (any more: retried, discarded, or done). */
    public record NotDiscardable(String reason) implements DiscardOutcome {
    }

    private final Database db;
    private final DeadLetterStore store;
    private final Runnable dueNow;

    /** @param dueNow told after an outbox message was put back (the dispatcher's nudge) */
    public DeadLetters(Database db, DeadLetterStore store, Runnable dueNow) {
        this.db = db;
        this.store = store;
        this.dueNow = dueNow;
    }

    /**
     * The newest dead letters, newest first. {@code allowedSites} null: every one; otherwise those of these sites
     * only (one with no site, such as a webhook delivery, is then not listed). {@code limit}: 1 to
     * {@link #MAX_LIMIT}.
     */
    public List<DeadLetter> list(Set<String> allowedSites, int limit) {
        int n = Math.min(Math.max(limit, 1), MAX_LIMIT);
        return db.inTransaction(c -> store.list(c, allowedSites, n)).stream().map(DeadLetters::view).toList();
    }

    /** One dead letter by its id, if it is one now (for a caller that checks its site before acting). */
    public Optional<DeadLetter> find(String id) {
        Key key = Key.parse(id);
        return key == null ? Optional.empty()
                : db.inTransaction(c -> store.find(c, key.queue, key.rowId)).map(DeadLetters::view);
    }

    public RetryOutcome retry(String id, String user, Instant now) {
        Key key = Key.parse(id);
        if (key == null) {
            return new NotFound();
        }
        RetryOutcome outcome = db.inTransaction(c -> {
            Optional<DeadLetterStore.Row> row = store.find(c, key.queue, key.rowId);
            if (row.isEmpty()) {
                return store.exists(c, key.queue, key.rowId)
                        ? new NotRetryable("not a dead letter (retried, discarded or done)") : new NotFound();
            }
            if (row.get().notRetryable() != null) {
                return new NotRetryable(row.get().notRetryable());
            }
            return store.requeue(c, key.queue, key.rowId, user, now) ? new Requeued(id)
                    : new NotRetryable("not a dead letter (retried, discarded or done)");
        });
        if (outcome instanceof Requeued) {
            LOG.info("dead letter {} requeued by {}", id, user);
            if (key.queue == DeadLetterQueue.OUTBOX) {
                dueNow.run();
            }
        }
        return outcome;
    }

    public DiscardOutcome discard(String id, String user, Instant now) {
        Key key = Key.parse(id);
        if (key == null) {
            return new NotFound();
        }
        DiscardOutcome outcome = db.inTransaction(c -> {
            if (store.discard(c, key.queue, key.rowId, user, now)) {
                return new Discarded(id);
            }
            return store.exists(c, key.queue, key.rowId)
                    ? new NotDiscardable("not a dead letter (retried, discarded or done)") : new NotFound();
        });
        if (outcome instanceof Discarded) {
            LOG.info("dead letter {} discarded by {}", id, user);
        }
        return outcome;
    }

    private static DeadLetter view(DeadLetterStore.Row r) {
        return new DeadLetter(r.queue().key() + "-" + r.rowId(), r.queue().key(), r.rowId(), r.site(), r.kind(),
                r.status(), r.reason(), r.attempts(), r.at(), r.notRetryable() == null, r.notRetryable());
    }

    /** A dead letter's id taken apart: "outbox-12" is row 12 of the outbox. */
    private record Key(DeadLetterQueue queue, long rowId) {

        static Key parse(String id) {
            if (id == null) {
                return null;
            }
            int dash = id.lastIndexOf('-');
            if (dash <= 0) {
                return null;
            }
            DeadLetterQueue q = DeadLetterQueue.fromKey(id.substring(0, dash));
            try {
                long row = Long.parseLong(id.substring(dash + 1));
                return q == null || row <= 0 ? null : new Key(q, row);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
