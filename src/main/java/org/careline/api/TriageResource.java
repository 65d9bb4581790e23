package org.careline.api;

import org.careline.access.Caller;
import org.careline.model.Role;
import org.careline.operations.PatientTimeline;
import org.careline.store.Database;
import org.careline.store.PatientSites;
import org.careline.triage.TriageDesk;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Staff's work: the queues, an item and its patient, and the steps taken on it (claim, reply, follow-up template,
 * note, resolve, release), each in the audit trail with the patient it concerns. An item outside the caller's
 * sites is answered 403 and the attempt recorded.
 */
final class TriageResource {

    private static final Set<Role> STAFF = Set.of(Role.STAFF, Role.ADMIN);
    private static final int LIMIT = 200;

    private final TriageDesk desk;
    private final PatientTimeline timeline;
    private final Database db;
    private final PatientSites patientSites;
    private final ApiAudit audit;

    TriageResource(TriageDesk desk, PatientTimeline timeline, Database db, PatientSites patientSites, ApiAudit audit) {
        this.desk = desk;
        this.timeline = timeline;
        this.db = db;
        this.patientSites = patientSites;
        this.audit = audit;
    }

    List<Endpoint> endpoints() {
        return List.of(
                new Endpoint("GET", "/queues", STAFF, "the triage queues of the caller's sites: open, claimed, "
                        + "overdue, SLA", call -> ApiAnswer.ok(desk.queues(call.caller().sites(), call.now()))),
                new Endpoint("GET", "/handoffs", STAFF, "items of the caller's sites (?queue=&status=&site=)",
                        this::list),
                new Endpoint("GET", "/handoffs/{id}", STAFF, "one item: the patient, the appointment, the "
                        + "patient's messages, the 24-hour window, the trail", this::get),
                new Endpoint("POST", "/handoffs/{id}/claim", STAFF, "claim the item (409 when someone else has)",
                        this::claim),
                new Endpoint("POST", "/handoffs/{id}/reply", STAFF, "answer the patient {text}, inside the 24-hour "
                        + "window only (409 outside it, naming the follow-up template)", this::reply),
                new Endpoint("POST", "/handoffs/{id}/follow-up", STAFF, "send the site's follow-up template (for "
                        + "when the window has closed)", this::followUp),
                new Endpoint("POST", "/handoffs/{id}/note", STAFF, "add an internal note {text}; never sent",
                        this::note),
                new Endpoint("POST", "/handoffs/{id}/resolve", STAFF, "resolve the item", this::resolve),
                new Endpoint("POST", "/handoffs/{id}/release", STAFF, "give a claimed item back to the queue",
                        this::release),
                new Endpoint("GET", "/patients/{id}/timeline", STAFF, "the patient's appointments, messages both "
                        + "ways, handoffs and write-backs, newest first", this::timeline));
    }

    private ApiAnswer list(ApiCall call) {
        String site = call.queryValue("site");
        if (site != null && !call.caller().user().maySee(site)) {
            return ApiAnswer.error(403, "not one of your sites");
        }
        return ApiAnswer.ok(desk.list(call.queryValue("queue"), call.queryValue("status"), site,
                call.caller().sites(), LIMIT, call.now()));
    }

    /** The item, if it exists and the caller may see its site; else the answer to give. */
    private TriageDesk.HandoffDetail visible(ApiCall call, String action) {
        long id = call.pathId("id");
        Optional<TriageDesk.HandoffDetail> d = desk.get(id, call.now());
        if (d.isEmpty()) {
            throw new ApiAnswer.Problem(404, "no such item");
        }
        if (!call.caller().user().maySee(d.get().site())) {
            audit.record(call, action, patientOf(d.get()), "handoff:" + id, d.get().site(), "denied",
                    "outside the caller's sites");
            throw new ApiAnswer.Problem(403, "not one of your sites");
        }
        return d.get();
    }

    private static Long patientOf(TriageDesk.HandoffDetail d) {
        return d.patient() == null ? null : d.patient().id();
    }

    private ApiAnswer get(ApiCall call) {
        TriageDesk.HandoffDetail d = visible(call, "view_handoff");
        audit.record(call, "view_handoff", patientOf(d), "handoff:" + d.id(), d.site(), "ok", null);
        return ApiAnswer.ok(d);
    }

    private ApiAnswer claim(ApiCall call) {
        TriageDesk.HandoffDetail d = visible(call, "claim");
        TriageDesk.ClaimOutcome o = desk.claim(d.id(), call.caller().name(), call.now());
        record(call, "claim", d, o);
        if (o instanceof TriageDesk.Claimed) {
            return ApiAnswer.ok(desk.get(d.id(), call.now()).orElseThrow());
        }
        if (o instanceof TriageDesk.ClaimedByOther other) {
            return ApiAnswer.error(409, "claimed by " + other.by());
        }
        return common(o);
    }

    private ApiAnswer reply(ApiCall call) {
        TriageDesk.HandoffDetail d = visible(call, "reply");
        Bodies.TextBody body = Bodies.read(call, Bodies.TextBody.class, "with text");
        TriageDesk.ReplyOutcome o = desk.reply(d.id(), call.caller().name(), body.text(), call.now());
        record(call, "reply", d, o);
        if (o instanceof TriageDesk.Queued q) {
            return ApiAnswer.ok(Map.of("outboxId", q.outboxId()));
        }
        if (o instanceof TriageDesk.OutsideWindow w) {
            Map<String, Object> answer = new java.util.LinkedHashMap<>();
            answer.put("error", "the 24-hour window closed at " + w.closedAt() + ": only a template may be sent");
            answer.put("closedAt", w.closedAt());
            answer.put("followUpTemplate", w.followUpTemplate());
            return new ApiAnswer(409, answer, Map.of());
        }
        return common(o);
    }

    private ApiAnswer followUp(ApiCall call) {
        TriageDesk.HandoffDetail d = visible(call, "follow_up");
        TriageDesk.FollowUpOutcome o = desk.followUp(d.id(), call.caller().name(), call.now());
        record(call, "follow_up", d, o);
        if (o instanceof TriageDesk.Queued q) {
            return ApiAnswer.ok(Map.of("outboxId", q.outboxId()));
        }
        if (o instanceof TriageDesk.NoTemplate) {
            return ApiAnswer.error(409, "this site has no follow-up template");
        }
        return common(o);
    }

    private ApiAnswer note(ApiCall call) {
        TriageDesk.HandoffDetail d = visible(call, "note");
        Bodies.TextBody body = Bodies.read(call, Bodies.TextBody.class, "with text");
        TriageDesk.NoteOutcome o = desk.note(d.id(), call.caller().name(), body.text(), call.now());
        record(call, "note", d, o);
        return o instanceof TriageDesk.Noted ? ApiAnswer.ok(Map.of("result", "noted")) : common(o);
    }

    private ApiAnswer resolve(ApiCall call) {
        TriageDesk.HandoffDetail d = visible(call, "resolve");
        TriageDesk.ResolveOutcome o = desk.resolve(d.id(), call.caller().name(), call.now());
        record(call, "resolve", d, o);
        return o instanceof TriageDesk.Resolved ? ApiAnswer.ok(Map.of("result", "resolved")) : common(o);
    }

    private ApiAnswer release(ApiCall call) {
        TriageDesk.HandoffDetail d = visible(call, "release");
        TriageDesk.ReleaseOutcome o = desk.release(d.id(), call.caller().name(), call.now());
        record(call, "release", d, o);
        return o instanceof TriageDesk.Released ? ApiAnswer.ok(Map.of("result", "released")) : common(o);
    }

    private ApiAnswer timeline(ApiCall call) {
        long patientId = call.pathId("id");
        Caller caller = call.caller();
        if (caller.sites() != null && db.inTransaction(c -> patientSites.of(c, patientId)).stream()
                .noneMatch(caller.sites()::contains)) {
            audit.record(call, "view_patient", patientId, "patient:" + patientId, null, "denied",
                    "outside the caller's sites");
            // the same answer as for a patient who does not exist: a restricted user learns nothing of others
            return ApiAnswer.error(404, "no such patient");
        }
        Optional<PatientTimeline.Timeline> t = timeline.of(patientId, PatientTimeline.MAX_LIMIT);
        if (t.isEmpty()) {
            return ApiAnswer.error(404, "no such patient");
        }
        audit.record(call, "view_patient", patientId, "patient:" + patientId, null, "ok", null);
        return ApiAnswer.ok(t.get());
    }

    /** The answers several steps share. */
    private static ApiAnswer common(Object o) {
        if (o instanceof TriageDesk.NotFound) {
            return ApiAnswer.error(404, "no such item");
        }
        if (o instanceof TriageDesk.AlreadyResolved) {
            return ApiAnswer.error(409, "already resolved");
        }
        if (o instanceof TriageDesk.NotClaimedByYou n) {
            return ApiAnswer.error(409, n.by() == null ? "claim the item first" : "claimed by " + n.by());
        }
        if (o instanceof TriageDesk.OptedOut) {
            return ApiAnswer.error(409, "the patient has opted out (STOP): nothing can be sent");
        }
        if (o instanceof TriageDesk.EmptyText) {
            return ApiAnswer.error(400, "text: write something");
        }
        return ApiAnswer.error(409, "not done");
    }

    private void record(ApiCall call, String action, TriageDesk.HandoffDetail d, Object outcome) {
        String name = outcome.getClass().getSimpleName();
        boolean ok = outcome instanceof TriageDesk.Claimed || outcome instanceof TriageDesk.Queued
                || outcome instanceof TriageDesk.Noted || outcome instanceof TriageDesk.Resolved
                || outcome instanceof TriageDesk.Released;
        audit.record(call, action, patientOf(d), "handoff:" + d.id(), d.site(), ok ? "ok" : "refused", name);
    }
}
