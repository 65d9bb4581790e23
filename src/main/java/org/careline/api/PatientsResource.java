package org.careline.api;

import org.careline.model.Role;
import org.careline.privacy.LegalHolds;
import org.careline.privacy.PatientErasure;
import org.careline.privacy.PatientFinder;
import org.careline.privacy.PrivacyWiring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Privacy work on a patient: finding them (staff), legal hold, erasure and the access request (admins). Each call is
 * in the audit trail; a search records which kind of key was used, never the key.
 */
final class PatientsResource {

    private static final Set<Role> STAFF = Set.of(Role.STAFF, Role.ADMIN);
    private static final Set<Role> ADMINS = Set.of(Role.ADMIN);

    private final PrivacyWiring.Privacy privacy;
    private final ApiAudit audit;

    PatientsResource(PrivacyWiring.Privacy privacy, ApiAudit audit) {
        this.privacy = privacy;
        this.audit = audit;
    }

    List<Endpoint> endpoints() {
        return List.of(
                new Endpoint("GET", "/patients", STAFF, "find patients by ?mrn= or ?phone= (exactly one; a number "
                        + "is read as E.164, the engine's region when it has no country code); the number is masked",
                        this::find),
                new Endpoint("POST", "/patients/{id}/hold", ADMINS, "place a legal hold: the purge keeps the "
                        + "patient's data and erasure is refused until it is lifted", this::hold),
                new Endpoint("DELETE", "/patients/{id}/hold", ADMINS, "lift the legal hold", this::lift),
                new Endpoint("POST", "/patients/{id}/erasure", ADMINS, "erase the patient's names, numbers, MRN, "
                        + "messages, raw inbound messages, webhook bodies, notes and documents; cancels what is "
                        + "pending (409 under legal hold)", this::erase),
                new Endpoint("GET", "/patients/{id}/export", ADMINS, "everything held about the patient as one "
                        + "JSON document (access request)", this::export));
    }

    private ApiAnswer find(ApiCall call) {
        String mrn = call.queryValue("mrn");
        String phone = call.queryValue("phone");
        PatientFinder.KeyKind kind = PatientFinder.kind(mrn, phone);
        PatientFinder.FindOutcome o = privacy.finder().find(mrn, phone, call.caller().sites());
        String subject = "key:" + (kind == null ? "none" : kind.name().toLowerCase(java.util.Locale.ROOT));
        if (o instanceof PatientFinder.Found f) {
            audit.record(call, "search_patient", null, subject, null, "ok", "matches=" + f.patients().size());
            return ApiAnswer.ok(f);
        }
        PatientFinder.Refused r = (PatientFinder.Refused) o;
        audit.record(call, "search_patient", null, subject, null, "refused", r.reason());
        return ApiAnswer.error(400, r.reason());
    }

    private ApiAnswer hold(ApiCall call) {
        long id = call.pathId("id");
        LegalHolds.HoldOutcome o = privacy.holds().place(id, call.caller().name(), call.now());
        return holdAnswer(call, "legal_hold_place", id, o);
    }

    private ApiAnswer lift(ApiCall call) {
        long id = call.pathId("id");
        return holdAnswer(call, "legal_hold_lift", id, privacy.holds().lift(id));
    }

    private ApiAnswer holdAnswer(ApiCall call, String action, long id, LegalHolds.HoldOutcome o) {
        if (o instanceof LegalHolds.NoSuchPatient) {
            return ApiAnswer.error(404, "no such patient");
        }
        boolean done = o instanceof LegalHolds.Placed || o instanceof LegalHolds.Lifted;
        audit.record(call, action, id, "patient:" + id, null, done ? "ok" : "refused", o.getClass().getSimpleName());
        if (o instanceof LegalHolds.AlreadyOn) {
            return ApiAnswer.error(409, "a legal hold is already on");
        }
        if (o instanceof LegalHolds.NotOn) {
            return ApiAnswer.error(409, "no legal hold is on");
        }
        return ApiAnswer.ok(Map.of("patientId", id, "onHold", o instanceof LegalHolds.Placed));
    }

    private ApiAnswer erase(ApiCall call) {
        long id = call.pathId("id");
        PatientErasure.ErasureOutcome o = privacy.erasure().erase(id, call.caller().name(), call.now());
        if (o instanceof PatientErasure.NoSuchPatient) {
            return ApiAnswer.error(404, "no such patient");
        }
        if (o instanceof PatientErasure.Erased e) {
            audit.record(call, "erasure", id, "patient:" + id, null, "ok", "erasure:" + e.erasureId());
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("erasureId", e.erasureId());
            answer.put("patientIds", e.patientIds());
            answer.put("counts", e.counts());
            answer.put("numberKept", e.numberKept());
            return ApiAnswer.ok(answer);
        }
        audit.record(call, "erasure", id, "patient:" + id, null, "refused", o.getClass().getSimpleName());
        if (o instanceof PatientErasure.OnHold) {
            return ApiAnswer.error(409, "the patient is under legal hold: lift it first");
        }
        return ApiAnswer.error(409, "already erased");
    }

    private ApiAnswer export(ApiCall call) {
        long id = call.pathId("id");
        var doc = privacy.export().export(id, call.now());
        if (doc.isEmpty()) {
            return ApiAnswer.error(404, "no such patient");
        }
        audit.record(call, "export_patient", id, "patient:" + id, null, "ok", null);
        return ApiAnswer.ok(doc.get());
    }
}
