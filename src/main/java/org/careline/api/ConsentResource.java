package org.careline.api;

import org.careline.access.Caller;
import org.careline.consent.ConsentReport;
import org.careline.model.PatientConsent;
import org.careline.model.Role;
import org.careline.store.ConsentStore;
import org.careline.store.Database;
import org.careline.store.PatientSites;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A patient's consent to be messaged, for staff: the state and its history (docs/consent.md). */
final class ConsentResource {

    private static final Set<Role> STAFF = Set.of(Role.STAFF, Role.ADMIN);

    private final Database db;
    private final ConsentStore consents;
    private final PatientSites patientSites;
    private final ApiAudit audit;

    ConsentResource(Database db, ConsentStore consents, PatientSites patientSites, ApiAudit audit) {
        this.db = db;
        this.consents = consents;
        this.patientSites = patientSites;
        this.audit = audit;
    }

    List<Endpoint> endpoints() {
        return List.of(new Endpoint("GET", "/patients/{id}/consent", STAFF, "the patient's consent to be messaged "
                + "(granted, refused, withdrawn or none; the never-message indicator) and every change, with its "
                + "source and time", this::consent));
    }

    private ApiAnswer consent(ApiCall call) {
        long patientId = call.pathId("id");
        Caller caller = call.caller();
        if (caller.sites() != null && db.inTransaction(c -> patientSites.of(c, patientId)).stream()
                .noneMatch(caller.sites()::contains)) {
            audit.record(call, "view_consent", patientId, "patient:" + patientId, null, "denied",
                    "outside the caller's sites");
            // the same answer as for a patient who does not exist: a restricted user learns nothing of others
            return ApiAnswer.error(404, "no such patient");
        }
        Optional<ConsentReport> report = db.inTransaction(c -> {
            Optional<PatientConsent> state = consents.current(c, patientId);
            return state.isEmpty() ? Optional.<ConsentReport>empty()
                    : Optional.of(ConsentReport.of(state.get(), consents.history(c, patientId)));
        });
        if (report.isEmpty()) {
            return ApiAnswer.error(404, "no such patient");
        }
        audit.record(call, "view_consent", patientId, "patient:" + patientId, null, "ok", null);
        return ApiAnswer.ok(report.get());
    }
}
