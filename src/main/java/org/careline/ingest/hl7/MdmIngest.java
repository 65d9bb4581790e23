package org.careline.ingest.hl7;

import org.careline.model.PatientFacts;
import org.careline.model.OrderFacts;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import org.careline.config.OruMapping;
import org.careline.results.DocumentPdf;
import org.careline.consent.ConsentRecorder;
import org.careline.model.ConsentSignal;
import org.careline.results.ResultNotices;
import org.careline.results.ResultReleasePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * MDM^T02/T04 (a signed document, e.g. a certificate or discharge letter): the same rules as results, with the
 * document (TXA-12) in place of the order. A completion status in results.yaml's documents.notifyCompletion (AU, LA)
 * counts as final (announced once); an availability status in withdrawAvailability (CA) as cancelled (X); anything
 * else leads to nothing. The document itself is not sent, except for document types listed in results.yaml's
 * documents.attachPdf (no clinical data, e.g. a receipt) when the message carries the PDF in an ED OBX: the notice
 * is then DOCUMENT_ATTACHED, with the PDF as the template's document header.
 */
public final class MdmIngest {

    private static final Logger LOG = LoggerFactory.getLogger(MdmIngest.class);

    private final InboundCommit inbound;
    private final OruMapper mapper;
    private final ResultNotices notices;
    private final ConsentRecorder consents;

    public MdmIngest(InboundCommit inbound, OruMapper mapper, ResultNotices notices, ConsentRecorder consents) {
        this.inbound = inbound;
        this.mapper = mapper;
        this.notices = notices;
        this.consents = consents;
    }

    /** A mapped document message: its patient, the document as an order, and the PDF to attach (or null). */
    private record Mapped(PatientFacts patient, OrderFacts doc, DocumentPdf pdf) {
    }

    public String apply(ReceivedHl7 received) throws ApplicationErrorException, ApplicationRejectException {
        MshHeader h = received.header();
        return inbound.once(received, () -> map(received), (c, m, inboundId, now) -> {
            ResultNotices.Result r = notices.apply(c, h.sender(), m.patient(), List.of(m.doc()), true, m.pdf(), now);
            ConsentSignal signal = mapper.consent(received);
            if (signal.saysAnything()) {
                // Same transaction as the notice: a PD1-12 Y here stops the notice it just queued.
                consents.apply(c, r.patientId(), signal, "hl7:" + h.sender(), now);
            }
            LOG.info("MDM^{} inbound={} patient={} reachable={} queued={} folded={} withdrawn={} held={} pdf={}",
                    h.triggerEvent(), inboundId, r.patientId(), r.reachable(), r.queued(), r.folded(),
                    r.withdrawn(), r.held(), m.pdf() != null);
        });
    }

    private Mapped map(ReceivedHl7 received) throws ApplicationErrorException, ApplicationRejectException {
        OruMapping.Documents d = mapper.mapping().documents();
        if (!d.triggers().contains(received.triggerEvent())) {
            throw new ApplicationRejectException("MDM trigger event '" + received.triggerEvent()
                    + "' is not accepted; accepted: MDM^" + String.join(", MDM^", d.triggers()), 201, "MSH", 9);
        }
        PatientFacts patient = mapper.patient(received);
        SegmentReads t = new SegmentReads(received.message());
        String documentId = OruMapper.first(t, d.documentId());
        if (documentId == null) {
            throw new ApplicationErrorException("Required document number missing (looked in TXA-12)", 101, "TXA", 12);
        }
        String completion = upper(OruMapper.first(t, nz(d.completionStatus())));
        String availability = upper(OruMapper.first(t, nz(d.availabilityStatus())));
        String status = availability != null && notices.rules().documentWithdraw().contains(availability) ? "X"
                : completion != null && notices.rules().documentNotify().contains(completion) ? "F" : "P";
        String documentType = OruMapper.first(t, nz(d.documentType()));
        OrderFacts doc = new OrderFacts("doc|" + documentId, status, null,
                null, Set.of(), documentType);
        DocumentPdf pdf = notices.rules().attachesPdf(documentType) ? pdfOf(received.message(), documentType)
                .orElse(null) : null;
        return new Mapped(patient, doc, pdf);
    }

    /**
     * The PDF of the first OBX with value type ED whose OBX-5 is {@code <source>^AP^PDF^Base64^<data>} or
     * {@code ^application^pdf^Base64^<data>} (case-insensitive), if it is a valid PDF within the size cap.
     */
    static Optional<DocumentPdf> pdfOf(Message message, String documentType) {
        String er7;
        try {
            er7 = message.encode();
        } catch (HL7Exception e) {
            return Optional.empty();
        }
        if (er7.length() < 8 || !er7.startsWith("MSH")) {
            return Optional.empty();
        }
        String field = Pattern.quote(String.valueOf(er7.charAt(3)));
        String component = Pattern.quote(String.valueOf(er7.charAt(4)));
        String repetition = Pattern.quote(String.valueOf(er7.charAt(5)));
        for (String segment : er7.split("[\r\n]+")) {
            if (!segment.startsWith("OBX")) {
                continue;
            }
            String[] f = segment.split(field, -1);
            if (f.length < 6 || !"ED".equalsIgnoreCase(f[2].trim())) {
                continue;
            }
            String[] c = f[5].split(repetition, -1)[0].split(component, -1);
            if (c.length < 5 || !"BASE64".equalsIgnoreCase(c[3].trim())) {
                continue;
            }
            String type = c[1].trim().toUpperCase(Locale.ROOT);
            String subtype = c[2].trim().toUpperCase(Locale.ROOT);
            if ((type.equals("AP") || type.equals("APPLICATION")) && subtype.equals("PDF")) {
                Optional<DocumentPdf> pdf = DocumentPdf.fromBase64(c[4], documentType);
                if (pdf.isPresent()) {
                    return pdf;
                }
                // The size or content is not acceptable: the plain notice goes. Never the content in the log.
                LOG.info("MDM PDF not attached: not a valid PDF of at most {} bytes", DocumentPdf.MAX_BYTES);
            }
        }
        return Optional.empty();
    }

    private static List<String> nz(List<String> l) {
        return l == null ? List.of() : l;
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }
}
