package org.careline.ingest.hl7;

import org.careline.store.Database;
import org.careline.store.DuplicateMessageException;
import org.careline.store.InboundLog;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Commits an HL7 message's effect in one transaction with the record of its receipt (sender + MSH-10), so an AA
 * is only ever sent for something durably stored, and a resend — earlier or racing — is answered as the first
 * copy was, with no second effect. Shared by every message type's handler.
 */
public final class InboundCommit {

    /** What a message does, inside the transaction that records it as row {@code inboundId}. */
    @FunctionalInterface
    public interface Effect {
        void apply(Connection c, long inboundId, Instant now) throws Exception;
    }

    /** Reads what a new message says; AE and AR outcomes are thrown as their exceptions. */
    @FunctionalInterface
    public interface Mapping<T> {
        T map() throws ApplicationErrorException, ApplicationRejectException;
    }

    /** What a mapped message does, inside the transaction that records it as row {@code inboundId}. */
    @FunctionalInterface
    public interface MappedEffect<T> {
        void apply(Connection c, T mapped, long inboundId, Instant now) throws Exception;
    }

    private final Database db;
    private final InboundLog inbound;
    private final Clock clock;

    public InboundCommit(Database db, InboundLog inbound, Clock clock) {
        this.db = db;
        this.inbound = inbound;
        this.clock = clock;
    }

    /** The ACK a message already answered got, or empty when it is new. */
    public Optional<String> earlierAnswer(MshHeader h) {
        return Acknowledger.replay(db, inbound, h);
    }

    /**
     * A message handled once: a resend gets the first copy's answer without being mapped again; a new message is
     * mapped outside the transaction (an AE/AR needs no database) and its effect committed with its receipt. An
     * analyst's replay ({@link ReceivedHl7#replay()}) is mapped again and, if it maps, its effect committed as the
     * new answer to the stored message.
     */
    public <T> String once(ReceivedHl7 received, Mapping<T> mapping, MappedEffect<T> effect)
            throws ApplicationErrorException, ApplicationRejectException {
        if (received.replay() == null) {
            Optional<String> earlier = earlierAnswer(received.header());
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        T mapped = mapping.map();
        return commit(received, (c, inboundId, now) -> effect.apply(c, mapped, inboundId, now));
    }

    /** Records the message, applies its effect and returns the AA — or the first copy's answer to a resend. */
    public String commit(ReceivedHl7 received, Effect effect) {
        MshHeader h = received.header();
        if (received.replay() != null) {
            return commitReplay(received.replay(), h, effect);
        }
        try {
            // Shared with messages arriving on other connections at the same time: one commit for all of them.
            return db.inSharedTransaction(c -> {
                Instant now = clock.instant();
                long inboundId = inbound.record(c, h.sender(), h.controlId(),
                        h.messageType() + "^" + h.triggerEvent(), "AA", null, null, null, null, received.text(), now);
                effect.apply(c, inboundId, now);
                return AckBuilder.accept(h);
            });
        } catch (DuplicateMessageException e) {
            // A resend raced the first copy and lost: answer as the first copy was answered.
            return earlierAnswer(h).orElse(AckBuilder.accept(h));
        }
    }

    /**
     * The replayed message's AA replaces its AE/AR in the transaction that applies the effect, to the same receipt
     * row; a transaction of its own (replays are rare and lock the row), not the shared one.
     *
     * @throws ReplayRefusedException when the message was applied meanwhile (nothing is changed)
     */
    private String commitReplay(Replay replay, MshHeader h, Effect effect) {
        return db.inTransaction(c -> {
            if (!inbound.supersede(c, replay.inboundId(), "AA", null, null, null, null, replay.user(), replay.at())) {
                throw new ReplayRefusedException(replay.inboundId());
            }
            effect.apply(c, replay.inboundId(), replay.at());
            return AckBuilder.accept(h);
        });
    }
}
