package org.careline.api;

import org.careline.model.Role;
import org.careline.store.AuditLog;
import org.careline.store.Database;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/** The audit trail for auditors and admins: who saw which patient and who did what; never message bodies. */
final class AuditResource {

    private static final int LIMIT = 500;

    private final Database db;
    private final AuditLog audit;

    AuditResource(Database db, AuditLog audit) {
        this.db = db;
        this.audit = audit;
    }

    List<Endpoint> endpoints() {
        return List.of(new Endpoint("GET", "/audit", Set.of(Role.AUDITOR, Role.ADMIN),
                "the audit trail, newest first (?actor=&patient=&from=&to=)", this::find));
    }

    private ApiAnswer find(ApiCall call) {
        String actor = call.queryValue("actor");
        String patient = call.queryValue("patient");
        if (patient != null && !patient.matches("\\d{1,18}")) {
            return ApiAnswer.error(400, "patient: a patient id");
        }
        Instant from = instant(call.queryValue("from"), "from");
        Instant to = instant(call.queryValue("to"), "to");
        Long patientId = patient == null ? null : Long.parseLong(patient);
        return ApiAnswer.ok(db.inTransaction(c -> audit.find(c, actor, patientId, from, to, LIMIT)));
    }

    private static Instant instant(String value, String name) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ApiAnswer.Problem(400, name + ": an ISO-8601 instant such as 2026-12-01T00:00:00Z");
        }
    }
}
