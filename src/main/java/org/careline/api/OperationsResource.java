package org.careline.api;

import org.careline.model.Role;
import org.careline.operations.DeadLetters;
import org.careline.operations.InboundMessages;
import org.careline.store.Database;
import org.careline.store.FhirWorkQueue;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The analysts' work: inbound HL7 receipts and replay, dead letters to retry or discard. No message bodies: what an
 * analyst sees are ids, types, ACK codes and error reasons. Each action is in the audit trail.
 */
final class OperationsResource {

    private static final Set<Role> ANALYSTS = Set.of(Role.ANALYST, Role.ADMIN);
    private static final int LIMIT = 200;

    private final InboundMessages inbound;
    private final DeadLetters deadLetters;
    private final Database db;
    private final FhirWorkQueue fhirWork;
    private final ApiAudit audit;

    OperationsResource(InboundMessages inbound, DeadLetters deadLetters, Database db, FhirWorkQueue fhirWork,
                       ApiAudit audit) {
        this.inbound = inbound;
        this.deadLetters = deadLetters;
        this.db = db;
        this.fhirWork = fhirWork;
        this.audit = audit;
    }

    List<Endpoint> endpoints() {
        return List.of(
                new Endpoint("GET", "/inbound", ANALYSTS, "HL7 messages received and their ACKs, newest first "
                        + "(?control_id=&sender=); no message bodies", call -> ApiAnswer.ok(inbound.find(
                        call.queryValue("control_id"), call.queryValue("sender"), LIMIT))),
                new Endpoint("GET", "/inbound/fhir", ANALYSTS, "FHIR notifications received: the resource or "
                        + "catch-up each asked for, how far it got and why not, newest first (?focus=Appointment/1); "
                        + "no resource content", call -> ApiAnswer.ok(db.inTransaction(c -> fhirWork.recent(c,
                        call.queryValue("focus"), LIMIT)))),
                new Endpoint("POST", "/inbound/{id}/replay", ANALYSTS, "process a message answered AE/AR again "
                        + "(after its mapping was fixed); an applied one is refused", this::replay),
                new Endpoint("GET", "/dead-letters", ANALYSTS, "what could not be done, across the work queues, "
                        + "with its reason", call -> ApiAnswer.ok(deadLetters.list(call.caller().sites(), LIMIT))),
                new Endpoint("POST", "/dead-letters/{id}/retry", ANALYSTS, "put a dead letter back to be done now",
                        this::retry),
                new Endpoint("POST", "/dead-letters/{id}/discard", ANALYSTS, "give a dead letter up for good (kept, "
                        + "with its reason)", this::discard));
    }

    private ApiAnswer replay(ApiCall call) {
        long id = call.pathId("id");
        InboundMessages.ReplayOutcome o = inbound.replay(id, call.caller().name(), call.now());
        audit.record(call, "replay", null, "inbound:" + id, null,
                o instanceof InboundMessages.Replayed ? "ok" : "refused", o.getClass().getSimpleName());
        if (o instanceof InboundMessages.Replayed r) {
            Map<String, Object> answer = new java.util.LinkedHashMap<>();
            answer.put("ackCode", r.ackCode());
            answer.put("ackText", r.ackText());
            return ApiAnswer.ok(answer);
        }
        if (o instanceof InboundMessages.NotFound) {
            return ApiAnswer.error(404, "no such message");
        }
        if (o instanceof InboundMessages.AlreadyApplied a) {
            return ApiAnswer.error(409, "answered " + a.ackCode() + ": its effect is applied; a replay would double it");
        }
        if (o instanceof InboundMessages.NoRawMessage) {
            return ApiAnswer.error(409, "the message itself was not kept (received before this version)");
        }
        return ApiAnswer.error(409, "replay failed: " + ((InboundMessages.Failed) o).reason());
    }

    private ApiAnswer retry(ApiCall call) {
        return act(call, "dead_letter_retry", id -> deadLetters.retry(id, call.caller().name(), call.now()),
                DeadLetters.Requeued.class, "requeued");
    }

    private ApiAnswer discard(ApiCall call) {
        return act(call, "dead_letter_discard", id -> deadLetters.discard(id, call.caller().name(), call.now()),
                DeadLetters.Discarded.class, "discarded");
    }

    /** Retry and discard answer alike: done, refused with the reason (409), or no such dead letter (404). */
    private ApiAnswer act(ApiCall call, String action, java.util.function.Function<String, Object> step,
                          Class<?> done, String result) {
        String id = call.pathValue("id");
        visible(call, id, action);
        Object o = step.apply(id);
        audit.record(call, action, null, id, null, done.isInstance(o) ? "ok" : "refused", o.getClass().getSimpleName());
        if (done.isInstance(o)) {
            return ApiAnswer.ok(Map.of("result", result));
        }
        if (o instanceof DeadLetters.NotRetryable n) {
            return ApiAnswer.error(409, n.reason());
        }
        if (o instanceof DeadLetters.NotDiscardable n) {
            return ApiAnswer.error(409, n.reason());
        }
        return ApiAnswer.error(404, "no such dead letter");
    }

    /** A dead letter of a site the caller may not see is answered as one that does not exist. */
    private void visible(ApiCall call, String id, String action) {
        deadLetters.find(id).ifPresent(d -> {
            if (!call.caller().user().maySee(d.site())) {
                audit.record(call, action, null, id, d.site(), "denied", "outside the caller's sites");
                throw new ApiAnswer.Problem(404, "no such dead letter");
            }
        });
    }
}
