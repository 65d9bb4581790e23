package org.careline.ingest.hl7;

import ca.uhn.hl7v2.util.Terser;
import org.careline.config.OruMapping;
import org.careline.results.ResultNotices;
import org.careline.results.ResultReleasePolicy;
import org.careline.store.Database;
import org.careline.store.DuplicateMessageException;
import org.careline.store.InboundLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * MDM^T02/T04 (a signed document, e.g. a certificate or discharge letter): the same rules as results, with the
 * document (TXA-12) in place of the order. A completion status in results.yaml's documents.notifyCompletion (AU, LA)
 * counts as final (announced once); an availability status in withdrawAvailability (CA) as cancelled (X); anything
 * else leads to nothing. The document itself is never sent (the PDF-as-header option is not implemented).
 */
public final class MdmIngest {

    private static final Logger LOG = LoggerFactory.getLogger(MdmIngest.class);

    private final Database db;
    private final InboundLog inbound;
    private final OruMapper mapper;
    private final ResultNotices notices;
    private final Clock clock;

    public MdmIngest(Database db, InboundLog inbound, OruMapper mapper, ResultNotices notices, Clock clock) {
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
        OruMapping.Documents d = mapper.mapping().documents();
        if (!d.triggers().contains(received.triggerEvent())) {
            throw new ApplicationRejectException("MDM trigger event '" + received.triggerEvent()
                    + "' is not accepted; accepted: MDM^" + String.join(", MDM^", d.triggers()), 201, "MSH", 9);
        }
        OruMapper.Patient patient = mapper.patient(received);
        Terser t = new Terser(received.message());
        String documentId = OruMapper.first(t, d.documentId());
        if (documentId == null) {
            throw new ApplicationErrorException("Required document number missing (looked in TXA-12)", 101, "TXA", 12);
        }
        String completion = upper(OruMapper.first(t, nz(d.completionStatus())));
        String availability = upper(OruMapper.first(t, nz(d.availabilityStatus())));
        String status = availability != null && notices.rules().documentWithdraw().contains(availability) ? "X"
                : completion != null && notices.rules().documentNotify().contains(completion) ? "F" : "P";
        ResultReleasePolicy.OrderFacts doc = new ResultReleasePolicy.OrderFacts("doc|" + documentId, status, null,
                null, Set.of(), OruMapper.first(t, nz(d.documentType())));
        try {
            return db.inTransaction(c -> {
                Instant now = clock.instant();
                long inboundId = inbound.record(c, h.sender(), h.controlId(),
                        h.messageType() + "^" + h.triggerEvent(), "AA", null, null, null, null, now);
                ResultNotices.Result r = notices.apply(c, h.sender(), patient, List.of(doc), true, now);
                LOG.info("MDM^{} inbound={} patient={} reachable={} queued={} folded={} withdrawn={} held={}",
                        h.triggerEvent(), inboundId, r.patientId(), r.reachable(), r.queued(), r.folded(),
                        r.withdrawn(), r.held());
                return AckBuilder.accept(h);
            });
        } catch (DuplicateMessageException e) {
            return Acknowledger.replay(db, inbound, h).orElse(AckBuilder.accept(h));
        }
    }

    private static List<String> nz(List<String> l) {
        return l == null ? List.of() : l;
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }
}
