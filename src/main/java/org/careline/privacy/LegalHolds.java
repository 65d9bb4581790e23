package org.careline.privacy;

import org.careline.store.Database;
import org.careline.store.PatientRecords;

import java.time.Instant;

/** Legal holds per patient: while one is on, the purge leaves the patient's data alone and erasure is refused. */
public final class LegalHolds {

    /** What placing or lifting a hold can end in. */
    public sealed interface HoldOutcome permits Placed, AlreadyOn, Lifted, NotOn, NoSuchPatient {
    }

    public record Placed(long patientId, String by, Instant at) implements HoldOutcome {
    }

    public record AlreadyOn(long patientId) implements HoldOutcome {
    }

    public record Lifted(long patientId) implements HoldOutcome {
    }

    public record NotOn(long patientId) implements HoldOutcome {
    }

    public record NoSuchPatient(long patientId) implements HoldOutcome {
    }

    private final Database db;
    private final PatientRecords records;

    public LegalHolds(Database db, PatientRecords records) {
        this.db = db;
        this.records = records;
    }

    public HoldOutcome place(long patientId, String by, Instant now) {
        return db.inTransaction(c -> {
            if (records.patient(c, patientId).isEmpty()) {
                return new NoSuchPatient(patientId);
            }
            return records.placeHold(c, patientId, by, now) ? new Placed(patientId, by, now)
                    : new AlreadyOn(patientId);
        });
    }

    public HoldOutcome lift(long patientId) {
        return db.inTransaction(c -> {
            if (records.patient(c, patientId).isEmpty()) {
                return new NoSuchPatient(patientId);
            }
            return records.liftHold(c, patientId) ? new Lifted(patientId) : new NotOn(patientId);
        });
    }
}
