package org.careline.api;

import org.careline.access.Caller;
import org.careline.consent.ConsentReport;
import org.careline.consent.StaffConsent;
import org.careline.model.ConsentValue;
import org.careline.model.PatientConsent;
import org.careline.model.Role;
import org.careline.store.ConsentStore;
import org.careline.store.Database;
import org.careline.store.PatientSites;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A patient's consent to be messaged, for staff: the state and its history, and recording it (docs/consent.md). */
final class ConsentResource {

    private static final Set<Role> STAFF = Set.of(Role.STAFF, Role.ADMIN);

    private final Database db;
    private final ConsentStore consents;
    private final PatientSites patientSites;
    private final ApiAudit audit;
    private final StaffConsent staffConsent;

    ConsentResource(Database db, ConsentStore consents, StaffConsent staffConsent, PatientSites patientSites,
                    ApiAudit audit) {
        this.db = db;
        this.consents = consents;
        this.staffConsent = staffConsent;
        this.patientSites = patientSites;
        this.audit = audit;
    }

    List<Endpoint> endpoints() {
        return List.of(new Endpoint("GET", "/patients/{id}/consent", STAFF, "the patient's consent to be messaged "
                + "(granted, refused, withdrawn or none; the never-message indicator) and every change, with its "
                + "source and time", this::consent),
                new Endpoint("POST", "/patients/{id}/consent", STAFF, "records the patient's consent as staff "
                        + "heard it ({\"value\":\"granted|refused|withdrawn\",\"note\":\"optional, e.g. the "
                        + "paper form's reference\"}); a grant releases held messages, a refusal cancels waiting ones",
                        this::record));
    }

    private ApiAnswer consent(ApiCall call) {
        long patientId = call.pathId("id");
        if (!visible(call, patientId, "view_consent")) {
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

    /** The answer to a POST: changed false when the consent already said so (nothing written). */
    record Recorded(long patientId, String value, boolean changed, int released, int cancelled) {
    }

    private ApiAnswer record(ApiCall call) {
        long patientId = call.pathId("id");
        Bodies.ConsentBody body = Bodies.read(call, Bodies.ConsentBody.class,
                "with value (granted, refused or withdrawn) and an optional note");
        ConsentValue value = StaffConsent.staffValue(body.value()).orElseThrow(() -> new ApiAnswer.Problem(400,
                "value must be granted, refused or withdrawn"));
        if (body.note() != null && body.note().length() > StaffConsent.MAX_NOTE) {
            throw new ApiAnswer.Problem(400, "note is longer than " + StaffConsent.MAX_NOTE + " characters");
        }
        if (!visible(call, patientId, "record_consent")) {
            return ApiAnswer.error(404, "no such patient");
        }
        StaffConsent.Outcome o = staffConsent.record(patientId, value, call.caller().name(), body.note(), call.now());
        // The note stays out of the trail: it is free text and may name the patient; the consent line has the value.
        if (o instanceof StaffConsent.Recorded r) {
            audit.record(call, "record_consent", patientId, "patient:" + patientId, null, "ok", r.value()
                    + " released=" + r.released() + " cancelled=" + r.cancelled());
            return ApiAnswer.ok(new Recorded(patientId, r.value(), true, r.released(), r.cancelled()));
        }
        if (o instanceof StaffConsent.AlreadySo a) {
            audit.record(call, "record_consent", patientId, "patient:" + patientId, null, "unchanged", a.value());
            return ApiAnswer.ok(new Recorded(patientId, a.value(), false, 0, 0));
        }
        audit.record(call, "record_consent", patientId, "patient:" + patientId, null, "not_found", null);
        return ApiAnswer.error(404, "no such patient");
    }

    /** Staff limited to sites see and change only their sites' patients; a refusal is audited under {@code action}. */
    private boolean visible(ApiCall call, long patientId, String action) {
        Caller caller = call.caller();
        if (caller.sites() != null && db.inTransaction(c -> patientSites.of(c, patientId)).stream()
                .noneMatch(caller.sites()::contains)) {
            audit.record(call, action, patientId, "patient:" + patientId, null, "denied", "outside the caller's sites");
            return false;
        }
        return true;
    }
}
