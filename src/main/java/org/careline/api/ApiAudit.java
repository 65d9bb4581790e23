package org.careline.api;

import org.careline.model.AuditEntry;
import org.careline.store.AuditLog;
import org.careline.store.Database;

/** Writes the audit trail's line for a call: who (the caller), what, which patient, how it ended. */
final class ApiAudit {

    private final Database db;
    private final AuditLog audit;

    ApiAudit(Database db, AuditLog audit) {
        this.db = db;
        this.audit = audit;
    }

    void record(ApiCall call, String action, Long patientId, String subject, String site, String outcome,
                String detail) {
        db.inTransaction(c -> {
            audit.record(c, new AuditEntry(call.caller() == null ? "-" : call.caller().name(), action, patientId,
                    subject, site, outcome, detail, call.remoteAddress()), call.now());
            return null;
        });
    }
}
