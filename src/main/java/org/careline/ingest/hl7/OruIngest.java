package org.careline.ingest.hl7;

import org.careline.consent.ConsentRecorder;
import org.careline.model.ConsentSignal;
import org.careline.results.ResultNotices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The effect of one ORU^R01, committed in one transaction with the record of its receipt (as {@link SiuIngest}):
 * a resend (same sender and MSH-10) changes nothing and gets the same ACK.
 */
public final class OruIngest {

    private static final Logger LOG = LoggerFactory.getLogger(OruIngest.class);

    private final InboundCommit inbound;
    private final OruMapper mapper;
    private final ResultNotices notices;
    private final ConsentRecorder consents;

    public OruIngest(InboundCommit inbound, OruMapper mapper, ResultNotices notices, ConsentRecorder consents) {
        this.inbound = inbound;
        this.mapper = mapper;
        this.notices = notices;
        this.consents = consents;
    }

    public String apply(ReceivedHl7 received) throws ApplicationErrorException, ApplicationRejectException {
        MshHeader h = received.header();
        return inbound.once(received, () -> mapper.map(received), (c, m, inboundId, now) -> {
            ResultNotices.Result r = notices.apply(c, h.sender(), m.patient(), m.orders(), false, now);
            ConsentSignal signal = mapper.consent(received);
            if (signal.saysAnything()) {
                // Same transaction as the notice: a PD1-12 Y here stops the notice it just queued.
                consents.apply(c, r.patientId(), signal, "hl7:" + h.sender(), now);
            }
            LOG.info("ORU^{} inbound={} patient={} orders={} reachable={} queued={} folded={} withdrawn={} held={}",
                    h.triggerEvent(), inboundId, r.patientId(), m.orders().size(), r.reachable(), r.queued(),
                    r.folded(), r.withdrawn(), r.held());
        });
    }
}
