package org.careline.privacy;

import org.careline.store.Database;
import org.careline.store.PatientRecords;
import org.careline.store.PatientRecords.PatientRow;
import org.careline.store.PatientRecords.TextRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Erases one patient on request, in one transaction: names, numbers and MRN, message bodies both ways, raw inbound
 * HL7 and webhook bodies that carry them, staff notes, documents; pending messages and write-backs cancelled. What
 * is left: rows without content (ids, times, statuses: the counts and history stay true) and a pseudonymous record
 * of the erasure. Refused while a legal hold is on. On H2 the removed values leave the file when the engine stops
 * ({@link Database#compactOnClose()}).
 */
public final class PatientErasure {

    private static final Logger LOG = LoggerFactory.getLogger(PatientErasure.class);

    /** What an erasure request can end in. */
    public sealed interface ErasureOutcome permits Erased, OnHold, AlreadyErased, NoSuchPatient {
    }

    /**
     * Done. erasureId: the patient_erasure row; patientIds: the rows erased (the patient's and the same person's
     * from other feeds); counts: rows changed per kind; numberKept: another patient has the same number, so the
     * number's own records (its replies, handoffs, webhook bodies, contact preference) were left to them.
     */
    public record Erased(long erasureId, List<Long> patientIds, Map<String, Integer> counts, boolean numberKept)
            implements ErasureOutcome {
    }

    public record OnHold(long patientId) implements ErasureOutcome {
    }

    public record AlreadyErased(long patientId) implements ErasureOutcome {
    }

    public record NoSuchPatient(long patientId) implements ErasureOutcome {
    }

    private final Database db;
    private final PatientRecords records;

    public PatientErasure(Database db, PatientRecords records) {
        this.db = db;
        this.records = records;
    }

    public ErasureOutcome erase(long patientId, String by, Instant now) {
        ErasureOutcome outcome = db.inTransaction(c -> {
            PatientRow p = records.patient(c, patientId).orElse(null);
            if (p == null) {
                return new NoSuchPatient(patientId);
            }
            if (p.erased()) {
                return new AlreadyErased(patientId);
            }
            // The same person known through another feed is erased with them: a request is about a person.
            List<PatientRow> person = records.samePerson(c, p);
            for (PatientRow row : person) {
                if (records.onHold(c, row.id())) {
                    return new OnHold(row.id());
                }
            }
            List<Long> ids = person.stream().map(PatientRow::id).toList();
            Map<String, Integer> counts = new LinkedHashMap<>();
            boolean numberKept = false;
            for (PatientRow row : person) {
                PatientMarkers markers = PatientMarkers.of(row.mrn(), row.phone());
                boolean numberToo = row.phone() != null && !records.phoneShared(c, row.phone(), ids);
                numberKept |= row.phone() != null && !numberToo;
                List<Long> raw = carrying(records.rawInboundFor(c, row.id(), markers.mentions()), markers);
                counts.merge("rawInbound", records.clearRawInbound(c, raw), Integer::sum);
                List<Long> hooks = numberToo
                        ? carrying(records.webhookBodiesMentioning(c, markers.phoneMentions()), markers) : List.of();
                counts.merge("webhookBodies", records.clearWebhookBodies(c, hooks, now), Integer::sum);
                records.erase(c, row, numberToo, by, now).forEach((k, v) -> counts.merge(k, v, Integer::sum));
            }
            long id = records.recordErasure(c, refHash(patientId), by, now, now, text(counts));
            return new Erased(id, ids, counts, numberKept);
        });
        if (outcome instanceof Erased e) {
            db.compactOnClose();
            LOG.info("patients {} erased (erasure {}): {}", e.patientIds(), e.erasureId(), text(e.counts()));
        }
        return outcome;
    }

    /** Rows found by their link to the patient (no text read) and rows whose text really carries them. */
    private static List<Long> carrying(List<TextRow> rows, PatientMarkers markers) {
        return rows.stream().filter(r -> r.text() == null || markers.carries(r.text())).map(TextRow::id).toList();
    }

    /** The pseudonymous reference kept: SHA-256 of the internal row id, which names no one outside Careline. */
    public static String refHash(long patientId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("careline-patient:" + patientId)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(Map<String, Integer> counts) {
        StringJoiner j = new StringJoiner(" ");
        counts.forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }
}
