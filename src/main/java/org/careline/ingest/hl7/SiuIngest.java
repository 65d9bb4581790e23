package org.careline.ingest.hl7;

import org.careline.consent.ConsentRecorder;
import org.careline.model.AppointmentEvent;
import org.careline.model.ConsentSignal;
import org.careline.store.ConsentStore;

import java.util.Optional;
import org.careline.schedule.AppointmentScheduler;
import org.careline.schedule.DueLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * The effect of one SIU message, committed in a single transaction with the record of its receipt, so an AA is
 * only ever sent for something that is durably stored, and a resend (same sender and MSH-10) changes nothing.
 */
public final class SiuIngest {

    private static final Logger LOG = LoggerFactory.getLogger(SiuIngest.class);

    private final InboundCommit inbound;
    private final SiuMapper mapper;
    private final AppointmentScheduler scheduler;
    private final Runnable dueNow;
    private final ConsentStore consentStore;
    private final ConsentRecorder consents;

    /** @param dueNow told after a commit that queued messages (the dispatcher's nudge: a confirmation is due now) */
    public SiuIngest(InboundCommit inbound, SiuMapper mapper, AppointmentScheduler scheduler, Runnable dueNow,
                     ConsentStore consentStore, ConsentRecorder consents) {
        this.inbound = inbound;
        this.mapper = mapper;
        this.scheduler = scheduler;
        this.dueNow = dueNow;
        this.consentStore = consentStore;
        this.consents = consents;
    }

    /** Applies the message; returns the ACK to send. AE/AR outcomes are thrown as typed exceptions. */
    public String apply(ReceivedHl7 received) throws ApplicationErrorException, ApplicationRejectException {
        MshHeader h = received.header();
        boolean[] queued = {false};
        String ack = inbound.once(received, () -> mapper.map(received), (c, event, inboundId, now) -> {
            AppointmentScheduler.Result r = scheduler.apply(c, event, inboundId, now);
            queued[0] = r.messagesQueued() > 0;
            ConsentSignal signal = mapper.consent(received);
            if (signal.saysAnything()) {
                // In the same transaction as the booking: its confirmation is decided with this consent.
                Optional<Long> patient = consentStore.patientByKey(c, event.patientKey());
                if (patient.isPresent()) {
                    consents.apply(c, patient.get(), signal, "hl7:" + h.sender(), now);
                }
            }
            LOG.info("SIU^{} inbound={} appointment={} reachable={} queued={} cancelled={}", h.triggerEvent(),
                    inboundId, r.appointmentId(), r.reachable(), r.messagesQueued(), r.messagesCancelled());
            for (AppointmentScheduler.Queued q : r.queued()) {
                LOG.info("{}", DueLine.of(q.outboxId(), r.appointmentId(), q.planned()));
            }
        });
        if (queued[0]) {
            dueNow.run();
        }
        return ack;
    }
}
