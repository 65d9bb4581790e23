package org.careline.operations;

import org.apache.camel.Exchange;
import org.careline.ingest.hl7.Acknowledger;
import org.careline.ingest.hl7.Replay;
import org.careline.routes.RouteCall;
import org.careline.store.Database;
import org.careline.store.InboundLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The analyst's view of received HL7 messages — receipts and ACKs, never their content — and the replay of one
 * that was answered AE or AR, once the cause (usually a mapping) is fixed. A replay sends the stored text through
 * the same processing as a message from the MLLP listener (routes/hl7-processing.yaml); its answer replaces the
 * stored one, which is kept with who replayed it and when (inbound_replay). A message answered AA is never
 * replayed: its effect would be applied twice.
 */
public final class InboundMessages {

    /** Most receipts one call returns. */
    public static final int MAX_LIMIT = 500;

    private static final Logger LOG = LoggerFactory.getLogger(InboundMessages.class);

    /**
     * A received message's receipt. {@code replayable}: answered AE/AR and its text is kept. {@code replayedBy},
     * {@code replayedAt}: its last replay, or null.
     */
    public record InboundView(long id, String sender, String controlId, String messageType, String ackCode,
                              String ackText, Integer errorCode, Instant receivedAt, boolean replayable,
                              String replayedBy, Instant replayedAt) {
    }

    /** What a replay came to. */
    public sealed interface ReplayOutcome permits Replayed, NotFound, NoRawMessage, AlreadyApplied, Failed {
    }

    /** Processed again: the new answer (AA with its effect applied, or AE/AR again), now the message's answer. */
    public record Replayed(String ackCode, String ackText) implements ReplayOutcome {
    }

    /** No received message has that id. */
    public record NotFound() implements ReplayOutcome {
    }

    /** Its text was not kept (received before Careline kept it, or longer than it keeps): nothing to replay. */
    public record NoRawMessage() implements ReplayOutcome {
    }

    /** Answered AA (its effect applied, maybe by another replay meanwhile): refused, nothing done. */
    public record AlreadyApplied(String ackCode) implements ReplayOutcome {
    }

    /** Our own failure while processing it (e.g. the database); nothing recorded, it may be replayed again. */
    public record Failed(String reason) implements ReplayOutcome {
    }

    private final Database db;
    private final InboundLog log;
    private final RouteCall processing;

    /** @param processing the direct: route every HL7 message is processed by (routes/hl7-processing.yaml) */
    public InboundMessages(Database db, InboundLog log, RouteCall processing) {
        this.db = db;
        this.log = log;
        this.processing = processing;
    }

    /**
     * Receipts, newest first: those with MSH-10 {@code controlId} (null: the latest), of {@code sender} only when
     * it is given ("APP|FACILITY", the namespace ids of MSH-3 and MSH-4). {@code limit}: 1 to {@link #MAX_LIMIT}.
     */
    public List<InboundView> find(String controlId, String sender, int limit) {
        int n = Math.min(Math.max(limit, 1), MAX_LIMIT);
        return db.inTransaction(c -> log.receipts(c, blankToNull(controlId), blankToNull(sender), n)).stream()
                .map(InboundMessages::view).toList();
    }

    /** One receipt. */
    public Optional<InboundView> get(long id) {
        return db.inTransaction(c -> log.receipt(c, id)).map(InboundMessages::view);
    }

    /** Processes stored message {@code id} again on behalf of {@code user}, if it was answered AE/AR. */
    public ReplayOutcome replay(long id, String user, Instant now) {
        Optional<InboundLog.Receipt> before = db.inTransaction(c -> log.receipt(c, id));
        if (before.isEmpty()) {
            return new NotFound();
        }
        if (!InboundLog.replayable(before.get().ackCode())) {
            return new AlreadyApplied(before.get().ackCode());
        }
        Optional<String> raw = db.inTransaction(c -> log.rawMessage(c, id));
        if (raw.isEmpty()) {
            return new NoRawMessage();
        }
        Exchange done = processing.request(raw.get(), Map.of(Replay.PROPERTY, new Replay(id, user, now)));
        if (done.getException() != null) {
            LOG.error("replay of inbound={} by {} failed: {}", id, user, done.getException().getClass().getSimpleName());
            return new Failed(done.getException().getClass().getSimpleName());
        }
        if (Boolean.TRUE.equals(done.getProperty(Acknowledger.REPLAY_REFUSED, Boolean.class))) {
            return new AlreadyApplied("AA");
        }
        if (Boolean.TRUE.equals(done.getProperty(Acknowledger.INTERNAL_ERROR, Boolean.class))) {
            return new Failed("the engine could not process it (see its log); nothing was recorded");
        }
        InboundLog.Receipt after = db.inTransaction(c -> log.receipt(c, id)).orElseThrow();
        LOG.info("inbound={} replayed by {}: {} -> {}", id, user, before.get().ackCode(), after.ackCode());
        return new Replayed(after.ackCode(), after.ackText());
    }

    private static InboundView view(InboundLog.Receipt r) {
        return new InboundView(r.id(), r.sender(), r.controlId(), r.messageType(), r.ackCode(), r.ackText(),
                r.errorCode(), r.receivedAt(), r.replayable(), r.replayedBy(), r.replayedAt());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
