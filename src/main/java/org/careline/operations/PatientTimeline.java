package org.careline.operations;

import org.careline.store.Database;
import org.careline.store.PatientHistory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A patient's message timeline for staff: their appointments and what happened to them, every message sent to
 * them and what they wrote, their handoffs and each step on them, and the write-backs to the scheduling system,
 * newest first. It carries PHI (names, numbers, bodies): the caller records who looked (audit), nothing here logs it.
 */
public final class PatientTimeline {

    /** Most items one timeline holds. */
    public static final int MAX_LIMIT = 500;

    /** The patient: {@code name} is "given family" (null when neither is known). */
    public record Patient(long id, String name, String phone, String language, boolean optedOut) {
    }

    /**
     * One thing that happened.
     *
     * @param type   appointment, outbound, inbound, handoff or writeback
     * @param text   the message body or the patient's (or staff's) words; null for none
     * @param status e.g. the appointment event (S12), outbox and delivery status (SENT/read), the reply's intent,
     *               the handoff or its step (OPEN, CLAIMED, REPLIED), the write-back's status and ACK (DONE/AA)
     * @param ref    the row it comes from: appointment:3, outbox:12, reply:7, handoff:4, writeback:9
     * @param label  what it was: template label, handoff queue, write-back action, service name; or null
     * @param actor  the staff member who took a handoff step; null for the engine or for other items
     */
    public record Item(Instant at, String type, String text, String status, String ref, String label,
                       String actor) {
    }

    public record Timeline(Patient patient, List<Item> items) {
    }

    private final Database db;
    private final PatientHistory history;

    public PatientTimeline(Database db, PatientHistory history) {
        this.db = db;
        this.history = history;
    }

    /** The patient's newest {@code limit} items (1 to {@link #MAX_LIMIT}); empty when there is no such patient. */
    public Optional<Timeline> of(long patientId, int limit) {
        int n = Math.min(Math.max(limit, 1), MAX_LIMIT);
        return db.inTransaction(c -> {
            Optional<PatientHistory.Person> person = history.person(c, patientId);
            if (person.isEmpty()) {
                return Optional.empty();
            }
            PatientHistory.Person p = person.get();
            List<Item> items = history.entries(c, p, n).stream()
                    .map(e -> new Item(e.at(), e.type(), e.text(), e.status(), e.ref(), e.label(), e.actor()))
                    .toList();
            return Optional.of(new Timeline(new Patient(p.id(), name(p.givenName(), p.familyName()), p.phone(),
                    p.language(), p.optedOut()), items));
        });
    }

    /** The patient a handoff is about (for the audit trail of who saw which patient). */
    public Optional<Long> patientOfHandoff(long handoffId) {
        return db.inTransaction(c -> history.patientOfHandoff(c, handoffId));
    }

    /** The patient an appointment is for. */
    public Optional<Long> patientOfAppointment(long appointmentId) {
        return db.inTransaction(c -> history.patientOfAppointment(c, appointmentId));
    }

    static String name(String given, String family) {
        String n = ((given == null ? "" : given.trim()) + " " + (family == null ? "" : family.trim())).trim();
        return n.isEmpty() ? null : n;
    }
}
