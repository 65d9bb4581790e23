package org.careline.ingest.hl7;

import org.careline.schedule.AppointmentEvent;
import org.careline.schedule.AppointmentScheduler;
import org.careline.store.Database;
import org.careline.store.DuplicateMessageException;
import org.careline.store.InboundLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The effect of one SIU message, committed in a single transaction with the record of its receipt, so an AA is
 * only ever sent for something that is durably stored, and a resend (same sender and MSH-10) changes nothing.
 */
public final class SiuIngest {

    private static final Logger LOG = LoggerFactory.getLogger(SiuIngest.class);

    private final Database db;
    private final InboundLog inbound;
    private final SiuMapper mapper;
    private final AppointmentScheduler scheduler;
    private final Clock clock;

    public SiuIngest(Database db, InboundLog inbound, SiuMapper mapper, AppointmentScheduler scheduler, Clock clock) {
        this.db = db;
        this.inbound = inbound;
        this.mapper = mapper;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** Applies the message; returns the ACK to send. AE/AR outcomes are thrown as typed exceptions. */
    public String apply(ReceivedHl7 received) throws ApplicationErrorException, ApplicationRejectException {
        MshHeader h = received.header();
        Optional<String> earlier = Acknowledger.replay(db, inbound, h);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        AppointmentEvent event = mapper.map(received);
        try {
            return db.inTransaction(c -> {
                Instant now = clock.instant();
                long inboundId = inbound.record(c, h.sender(), h.controlId(),
                        h.messageType() + "^" + h.triggerEvent(), "AA", null, null, null, null, now);
                AppointmentScheduler.Result r = scheduler.apply(c, event, inboundId, now);
                LOG.info("SIU^{} inbound={} appointment={} reachable={} queued={} cancelled={}", h.triggerEvent(),
                        inboundId, r.appointmentId(), r.reachable(), r.messagesQueued(), r.messagesCancelled());
                return AckBuilder.accept(h);
            });
        } catch (DuplicateMessageException e) {
            // A resend raced the first copy and lost: answer as the first copy was answered.
            return Acknowledger.replay(db, inbound, h).orElse(AckBuilder.accept(h));
        }
    }
}
