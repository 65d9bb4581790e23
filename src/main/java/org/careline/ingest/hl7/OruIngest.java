package org.careline.ingest.hl7;

import org.careline.results.ResultNotices;
import org.careline.store.Database;
import org.careline.store.DuplicateMessageException;
import org.careline.store.InboundLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The effect of one ORU^R01, committed in one transaction with the record of its receipt (as {@link SiuIngest}):
 * a resend (same sender and MSH-10) changes nothing and gets the same ACK.
 */
public final class OruIngest {

    private static final Logger LOG = LoggerFactory.getLogger(OruIngest.class);

    private final Database db;
    private final InboundLog inbound;
    private final OruMapper mapper;
    private final ResultNotices notices;
    private final Clock clock;

    public OruIngest(Database db, InboundLog inbound, OruMapper mapper, ResultNotices notices, Clock clock) {
        this.db = db;
        this.inbound = inbound;
        this.mapper = mapper;
        this.notices = notices;
        this.clock = clock;
    }

    public String apply(ReceivedHl7 received) throws ApplicationErrorException, ApplicationRejectException {
        MshHeader h = received.header();
        Optional<String> earlier = Acknowledger.replay(db, inbound, h);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        OruMapper.Mapped m = mapper.map(received);
        try {
            return db.inTransaction(c -> {
                Instant now = clock.instant();
                long inboundId = inbound.record(c, h.sender(), h.controlId(),
                        h.messageType() + "^" + h.triggerEvent(), "AA", null, null, null, null, now);
                ResultNotices.Result r = notices.apply(c, h.sender(), m.patient(), m.orders(), false, now);
                LOG.info("ORU^{} inbound={} patient={} orders={} reachable={} queued={} folded={} withdrawn={} held={}",
                        h.triggerEvent(), inboundId, r.patientId(), m.orders().size(), r.reachable(), r.queued(),
                        r.folded(), r.withdrawn(), r.held());
                return AckBuilder.accept(h);
            });
        } catch (DuplicateMessageException e) {
            return Acknowledger.replay(db, inbound, h).orElse(AckBuilder.accept(h));
        }
    }
}
