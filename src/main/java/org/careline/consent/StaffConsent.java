package org.careline.consent;

import org.careline.model.ConsentValue;
import org.careline.store.ConsentStore;
import org.careline.store.Database;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Consent recorded by a member of staff (POST /api/v1/patients/{id}/consent): e.g. a signed paper form, or what the
 * patient said at the desk. It is recorded like the patient's own YES or NO — a grant releases the held messages, a
 * refusal cancels what waits, a withdrawal stops what falls due — with the source {@code staff:<username>}.
 */
public final class StaffConsent {

    /** The source of a change made by staff: staff:&lt;username&gt;. */
    public static final String SOURCE_PREFIX = "staff:";
    /** The longest note kept (a form reference, a line of context); longer ones are refused, not cut. */
    public static final int MAX_NOTE = 500;

    private final Database db;
    private final ConsentStore store;
    private final ConsentRecorder recorder;

    public StaffConsent(Database db, ConsentStore store, ConsentRecorder recorder) {
        this.db = db;
        this.store = store;
        this.recorder = recorder;
    }

    /** What recording did: one type per answer the API gives. */
    public sealed interface Outcome {
    }

    /** The change was recorded: {@code released} held messages are due now, {@code cancelled} were cancelled. */
    public record Recorded(long patientId, String value, int released, int cancelled) implements Outcome {
    }

    /** The patient's consent already said so: nothing written (a second click changes nothing). */
    public record AlreadySo(long patientId, String value) implements Outcome {
    }

    /** No such patient. */
    public record NoSuchPatient(long patientId) implements Outcome {
    }

    /**
     * The values staff may record: granted, refused, withdrawn. The protection indicator is the EHR's to set, not
     * the console's. Empty for anything else.
     */
    public static Optional<ConsentValue> staffValue(String word) {
        if (word == null) {
            return Optional.empty();
        }
        return switch (word.trim().toLowerCase(Locale.ROOT)) {
            case "granted" -> Optional.of(ConsentValue.GRANTED);
            case "refused" -> Optional.of(ConsentValue.REFUSED);
            case "withdrawn" -> Optional.of(ConsentValue.WITHDRAWN);
            default -> Optional.empty();
        };
    }

    public Outcome record(long patientId, ConsentValue value, String username, String note, Instant now) {
        String word = value.dbValue().toLowerCase(Locale.ROOT);
        String cleanNote = note == null || note.isBlank() ? null : note.strip();
        return db.inTransaction(c -> {
            if (store.current(c, patientId).isEmpty()) {
                return new NoSuchPatient(patientId);
            }
            ConsentRecorder.Outcome o = recorder.record(c, patientId, value, SOURCE_PREFIX + username, cleanNote, now);
            return o.changed() ? new Recorded(patientId, word, o.released(), o.cancelled())
                    : new AlreadySo(patientId, word);
        });
    }
}
