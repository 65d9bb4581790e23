package org.careline.privacy;

import org.apache.camel.main.Main;
import org.careline.config.Settings;
import org.careline.model.RetentionRules;
import org.careline.store.AuditLog;
import org.careline.store.AuditTrail;
import org.careline.store.Database;
import org.careline.store.PatientRecords;
import org.careline.store.PatientSites;
import org.careline.store.RetentionTargets;

import java.time.Clock;

/**
 * Retention, legal hold, erasure, finding a patient and access requests: reads mappings/retention.yaml, binds the
 * daily purge ({@code retentionPurge}, routes/privacy.yaml, at 03:30 in CARELINE_TIMEZONE), which cuts the audit
 * trail through {@link AuditTrail#pruneBefore}.
 */
public final class PrivacyWiring {

    public static final String PURGE_BEAN = "retentionPurge";

    private PrivacyWiring() {
    }

    /** The services the staff API calls. */
    public record Privacy(PatientFinder finder, LegalHolds holds, PatientErasure erasure, PatientExport export,
                          RetentionPurge purge) {
    }

    /** @param rules mappings/retention.yaml, read with the other mapping files before the database is opened */
    public static Privacy bind(Main main, Database db, Settings s, RetentionRules rules, Clock clock) {
        PatientRecords records = new PatientRecords(db.cipher());
        // The hash-chained trail cuts itself (an anchor keeps what is left verifiable); the purge never deletes
        // audit rows directly.
        AuditPrune bound = new AuditTrail()::pruneBefore;
        RetentionPurge purge = new RetentionPurge(db, new RetentionTargets(db.cipher()), records, new AuditLog(), bound, rules,
                clock);
        main.bind(PURGE_BEAN, purge);
        main.addInitialProperty("careline.privacy.zone", s.zone().getId());
        return new Privacy(new PatientFinder(db, records, new PatientSites(), s.phoneRegion()),
                new LegalHolds(db, records), new PatientErasure(db, records), new PatientExport(db, records), purge);
    }
}
